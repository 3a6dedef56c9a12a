import Foundation
import ImageIO
import Pipeline
import Tensor

/// The state of one run as the live view shows it, fed by the run (`LiveExecutor`, the
/// coordinator's snapshots, the runner's level callbacks) and read by HTTP handlers.
///
/// Two locks keep the run from ever waiting on a browser: the coordinator's socket thread only
/// swaps a snapshot under `snapshotLock` (readers copy it out and let go); everything else (tile
/// states, the overview) is under `lock`, held by readers only to copy a value out, never while
/// encoding or writing to a socket. Memory is the overview (at most `overviewSide`² pixels) and
/// a small PNG per finished level, whatever the level's size.
public final class LiveRun: @unchecked Sendable {
    /// The overview's longest side in pixels, and a finished level's preview's.
    public let overviewSide: Int
    public let previewSide: Int

    private let lock = NSLock()
    private let snapshotLock = NSLock()
    private var snapshot: CoordinatorSnapshot?
    private let clock = ContinuousClock()
    private let started: ContinuousClock.Instant

    private var job = ""
    private var plan: LevelPlan?
    private var state = "starting"
    private var level: LevelPlan.Level?
    private var round: LevelPlan.Round?
    private var done: Set<Int> = []
    /// Tiles being solved in this process (no coordinator), by the solver's name.
    private var local: [Int: String] = [:]
    /// When each of the level's last tiles was accepted (seconds since `started`), for the rate.
    private var acceptedTimes: [Double] = []
    private var accepted = 0
    private var overview: LiveOverview?
    private var version = 0
    private var encoded: (version: Int, bytes: [UInt8])?
    private var previews: [Int: (width: Int, height: Int, png: [UInt8])] = [:]

    /// Tiles the rate is measured over.
    static let rateWindow = 64
    /// Levels up to this many pixels are read again from their canvas when they finish, band by
    /// band (the overview then shows the blended canvas exactly); larger ones keep the painted
    /// overview (reading a gigapixel canvas would hold the run up for a pass over gigabytes).
    static let canvasReadPixels = 64 << 20

    public init(overviewSide: Int = 1024, previewSide: Int = 256) {
        precondition(overviewSide > 0 && previewSide > 0)
        self.overviewSide = overviewSide
        self.previewSide = previewSide
        started = clock.now
    }

    private var seconds: Double {
        let elapsed = clock.now - started
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// A job starts: its plan gives every level's grids. A batch calls it again for each job.
    public func begin(job: String, plan: LevelPlan) {
        lock.withLock {
            self.job = job
            self.plan = plan
            state = "running"
            level = nil
            round = nil
            done = []
            local = [:]
            acceptedTimes = []
            accepted = 0
            overview = nil
            previews = [:]
            version += 1
        }
        snapshotLock.withLock { snapshot = nil }
    }

    /// The coordinator's latest state (called on its socket thread: returns at once).
    public func update(_ snapshot: CoordinatorSnapshot) {
        snapshotLock.withLock { self.snapshot = snapshot }
    }

    /// A round starts with the tiles `keys` to solve; the round's other tiles were stored before.
    func roundStarted(level index: Int, round roundIndex: Int, keys: [TileResultKey]) {
        lock.withLock {
            guard let plan, plan.levels.indices.contains(index),
                  plan.levels[index].rounds.indices.contains(roundIndex) else { return }
            enter(level: plan.levels[index])
            round = plan.levels[index].rounds[roundIndex]
            let remaining = Set(keys.map(\.tile))
            done = Set(0..<round!.grid.count).subtracting(remaining)
            local = [:]
        }
    }

    /// Makes `level` current (a new overview, started from the one below) unless it is already.
    private func enter(level next: LevelPlan.Level) {
        guard level?.index != next.index || overview == nil else { return }
        if let previous = overview {
            overview = LiveOverview(
                levelWidth: next.width, levelHeight: next.height, maximumSide: overviewSide, startingFrom: previous)
        } else {
            overview = LiveOverview(levelWidth: next.width, levelHeight: next.height, maximumSide: overviewSide)
        }
        level = next
        round = nil
        done = []
        acceptedTimes = []
        version += 1
    }

    /// A tile's task was made: its starting pixels are painted where no result is yet, and with
    /// `solver` (tiles solved in this process) it counts as leased to it.
    func taskMade(_ task: TaskMessage, solver: String?) {
        lock.withLock {
            guard let round, task.key.level == level?.index, task.key.round == round.index,
                  (0..<round.grid.count).contains(task.key.tile), !done.contains(task.key.tile) else { return }
            if let solver { local[task.key.tile] = solver }
            let core = round.grid.tile(task.key.tile).core
            let inContext = core.offsetBy(dx: -task.context.x, dy: -task.context.y)
            guard task.initial.channels >= 3, task.initial.width == task.context.width,
                  task.initial.height == task.context.height,
                  PixelRect(width: task.context.width, height: task.context.height).contains(inContext)
            else { return }
            overview?.paint(Self.crop(task.initial, to: inContext), at: core)
            version += 1
        }
    }

    /// A tile's result was accepted: it is done, and its pixels are painted.
    func resultAccepted(_ record: TileResultRecord) {
        lock.withLock {
            guard let round, record.key.level == level?.index, record.key.round == round.index,
                  (0..<round.grid.count).contains(record.key.tile), record.pixels.channels >= 3 else { return }
            done.insert(record.key.tile)
            accepted += 1
            local[record.key.tile] = nil
            acceptedTimes.append(seconds)
            if acceptedTimes.count > Self.rateWindow { acceptedTimes.removeFirst() }
            overview?.paint(record.pixels, at: record.rect)
            version += 1
        }
    }

    /// A level is finished: a small one's canvas is read again into the overview, and the
    /// overview is kept, reduced, as the level's preview. Its last round's grid stays shown
    /// (all done) until the next level starts.
    public func levelFinished(_ index: Int, canvas: any Canvas) {
        lock.withLock {
            guard let plan, plan.levels.indices.contains(index) else { return }
            enter(level: plan.levels[index])
            if let factor = overview?.factor, canvas.width * canvas.height <= Self.canvasReadPixels,
               canvas.channels >= 3, canvas.width == plan.levels[index].width,
               canvas.height == plan.levels[index].height {
                // In bands of whole overview rows, about a megapixel each: memory stays a band's.
                let rows = max(factor, (1 << 20) / canvas.width / factor * factor)
                for y in stride(from: 0, to: canvas.height, by: rows) {
                    let band = PixelRect(x: 0, y: y, width: canvas.width, height: min(rows, canvas.height - y))
                    overview?.paint(canvas.read(band), at: band)
                }
                version += 1
            }
        }
        let copy = lock.withLock { overview }
        guard let copy else { return }
        var preview = copy.raster
        while max(preview.width, preview.height) > previewSide { preview = AreaDownsampling.halved(preview) }
        guard let png = try? TileFormat.png.encode(preview) else { return }
        lock.withLock { previews[index] = (preview.width, preview.height, png) }
    }

    /// The run ended (`failed`: with an error).
    public func finish(failed: Bool = false) {
        lock.withLock {
            state = failed ? "failed" : "finished"
            local = [:]
        }
    }

    /// The overview as PNG, encoded once per version (outside the lock), or nil before a level.
    func overviewPNG() throws -> [UInt8]? {
        let (current, cached) = lock.withLock { (overview.map { ($0.raster, version) }, encoded) }
        guard let (raster, version) = current else { return nil }
        if let cached, cached.version == version { return cached.bytes }
        let bytes = try TileFormat.png.encode(raster)
        lock.withLock { if (encoded?.version ?? -1) < version { encoded = (version, bytes) } }
        return bytes
    }

    /// The preview of level `index` (from 0) as PNG, when that level is finished.
    func previewPNG(level index: Int) -> [UInt8]? {
        lock.withLock { previews[index]?.png }
    }

    /// The status now.
    public func status() -> LiveStatus {
        let snapshot = snapshotLock.withLock { self.snapshot }
        return lock.withLock { makeStatus(snapshot: snapshot) }
    }

    private func makeStatus(snapshot: CoordinatorSnapshot?) -> LiveStatus {
        var status = LiveStatus(
            job: job, state: state, level: (level?.index).map { $0 + 1 } ?? 0, levels: plan?.levels.count ?? 0,
            round: (round?.index).map { $0 + 1 } ?? 0, rounds: level?.rounds.count ?? 0, width: level?.width ?? 0,
            height: level?.height ?? 0,
            overview: overview.map {
                .init(width: $0.raster.width, height: $0.raster.height, factor: $0.factor, version: version)
            },
            tiles: [], counts: .init(), tilesPerSecond: 0, etaSeconds: nil, elapsedSeconds: seconds,
            tilesAccepted: accepted, retries: snapshot?.counts.retries ?? 0, workersAlive: 0, workers: [],
            bytesIn: snapshot?.bytesIn ?? 0, bytesOut: snapshot?.bytesOut ?? 0,
            previews: previews.keys.sorted().map { index in
                let preview = previews[index]!
                return .init(level: index + 1, width: preview.width, height: preview.height,
                             url: "/live/levels/\(index + 1).png")
            })
        if let round, let level {
            var holders: [Int: [String]] = [:]
            for lease in snapshot?.leases ?? [] where lease.key.job == job && lease.key.level == level.index
                && lease.key.round == round.index {
                holders[lease.key.tile, default: []].append(lease.worker)
            }
            for (tile, solver) in local { holders[tile, default: []].append(solver) }
            var lost: [Int: Int] = [:]
            for (key, count) in snapshot?.lostLeases ?? [:] where key.job == job && key.level == level.index
                && key.round == round.index {
                lost[key.tile] = count
            }
            for index in 0..<round.grid.count {
                let core = round.grid.tile(index).core
                let state: String
                if done.contains(index) {
                    state = "done"
                } else if holders[index] != nil {
                    state = "leased"
                } else {
                    state = lost[index] != nil ? "retried" : "queued"
                }
                status.tiles.append(.init(
                    index: index, x: core.x, y: core.y, width: core.width, height: core.height, state: state,
                    workers: state == "leased" ? holders[index]!.sorted() : nil, lostLeases: lost[index]))
            }
            status.counts = Self.counts(of: status.tiles)
            status.tilesPerSecond = rate()
            let laterRounds = level.rounds.filter { $0.index > round.index }.reduce(0) { $0 + $1.grid.count }
            let remaining = status.counts.total - status.counts.done + laterRounds
            if status.tilesPerSecond > 0 { status.etaSeconds = Double(remaining) / status.tilesPerSecond }
        }
        if let snapshot {
            let alive = Set(snapshot.workersAlive)
            status.workersAlive = alive.count
            let names = alive.union(snapshot.tilesDone.keys)
            status.workers = names.sorted().map {
                .init(name: $0, tiles: snapshot.tilesDone[$0] ?? 0, seconds: snapshot.workerSeconds[$0] ?? 0,
                      alive: alive.contains($0))
            }
        } else if !local.isEmpty {
            status.workersAlive = Set(local.values).count
        }
        return status
    }

    private static func counts(of tiles: [LiveStatus.Tile]) -> LiveStatus.Counts {
        var counts = LiveStatus.Counts()
        counts.total = tiles.count
        for tile in tiles {
            switch tile.state {
            case "done": counts.done += 1
            case "leased": counts.leased += 1
            case "retried": counts.retried += 1
            default: counts.queued += 1
            }
        }
        return counts
    }

    /// Tiles per second over the level's last accepted tiles (0 until two are).
    private func rate() -> Double {
        guard let last = acceptedTimes.last, let first = acceptedTimes.first, acceptedTimes.count >= 2,
              last > first else { return 0 }
        return Double(acceptedTimes.count - 1) / (last - first)
    }

    /// The part `rect` of `pixels` (rect inside pixels' bounds), first three channels.
    private static func crop(_ pixels: Tensor, to rect: PixelRect) -> Tensor {
        let cropped = Tensor(channels: 3, height: rect.height, width: rect.width)
        for channel in 0..<3 {
            for y in 0..<rect.height {
                for x in 0..<rect.width { cropped[channel, y, x] = pixels[channel, rect.y + y, rect.x + x] }
            }
        }
        return cropped
    }
}
