import Foundation
import ImageIO
import NIOCore
import NIOHTTP1
import NIOPosix

/// How the viewer listens and what it serves.
public struct ViewerConfiguration: Sendable {
    /// A numeric address or host name, and a port (0 picks a free one).
    public var host: String
    public var port: Int
    public var tileFormat: TileFormat
    /// JPEG quality, 1…100 (nil: the writer's default).
    public var quality: Int?
    /// A connection that sends nothing for this long is closed (a slow or stalled client holds a
    /// connection no longer).
    public var idleTimeout: Duration
    /// The longest request target (path and query) answered; a longer one gets 414.
    public var maxTargetLength: Int
    /// Bytes of encoded tiles kept for repeated requests.
    public var cacheBytes: Int

    public init(
        host: String = "127.0.0.1", port: Int = 8080, tileFormat: TileFormat = .jpeg, quality: Int? = nil,
        idleTimeout: Duration = .seconds(30), maxTargetLength: Int = 2048, cacheBytes: Int = 32 << 20
    ) {
        self.host = host
        self.port = port
        self.tileFormat = tileFormat
        self.quality = quality
        self.idleTimeout = idleTimeout
        self.maxTargetLength = maxTargetLength
        self.cacheBytes = cacheBytes
    }
}

/// The HTTP side of `atelier serve`: Deep Zoom descriptors and tiles of the served files, the
/// viewer and gallery pages, and `/metrics`, on one SwiftNIO HTTP/1.1 listener.
public final class ViewerServer: Sendable {
    public let configuration: ViewerConfiguration
    /// Served images by URL name, and the names in the order the files were given.
    let images: [String: ServedImage]
    public let names: [String]
    let metrics = ViewerMetrics()
    /// The run a live view watches (`coordinator --http`, `stylize --http`), and its metrics.
    public let live: LiveRun?
    private let liveMetrics: LiveMetrics?
    private let cache: TileCache
    private let log: @Sendable (String) -> Void
    private let listener = ListeningChannel()

    /// Opens every file (reading headers only).
    /// - Throws: `ImageIOError` naming the first file that cannot be opened.
    public init(
        paths: [String], configuration: ViewerConfiguration = .init(),
        log: @escaping @Sendable (String) -> Void = ViewerServer.standardErrorLog
    ) throws {
        var images: [String: ServedImage] = [:]
        var names: [String] = []
        for path in paths {
            let base = ServedImage.baseName(of: path)
            var name = base
            var suffix = 2
            while images[name] != nil {
                name = "\(base)-\(suffix)"
                suffix += 1
            }
            images[name] = try ServedImage(path: path, name: name)
            names.append(name)
        }
        self.images = images
        self.names = names
        self.configuration = configuration
        self.log = log
        cache = TileCache(capacity: configuration.cacheBytes)
        live = nil
        liveMetrics = nil
    }

    /// A live view of `live`: its page at `/`, `/status.json`, the current level's overview and
    /// the finished levels' previews, and `/metrics` with the run's numbers.
    public init(
        live: LiveRun, configuration: ViewerConfiguration = .init(),
        log: @escaping @Sendable (String) -> Void = ViewerServer.standardErrorLog
    ) {
        images = [:]
        names = []
        self.configuration = configuration
        self.log = log
        cache = TileCache(capacity: 0)
        self.live = live
        liveMetrics = LiveMetrics(registry: metrics.registry)
    }

    /// Prints one line on standard error, prefixed `serve:`.
    public static let standardErrorLog: @Sendable (String) -> Void = { line in
        FileHandle.standardError.write(Data("serve: \(line)\n".utf8))
    }

    /// Serves until `stop()` is called or the task is cancelled.
    /// - Parameter onRunning: called once listening, with the port bound (useful with port 0).
    /// - Throws: NIO's error when the address cannot be bound.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let idle = TimeAmount.nanoseconds(
            configuration.idleTimeout.components.seconds * 1_000_000_000
                + configuration.idleTimeout.components.attoseconds / 1_000_000_000)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture {
                    // Errors of the HTTP parser (a header past llhttp's 80 KB, bad syntax) get
                    // 400 and a close from NIO's error handler.
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idle), ViewerHTTPHandler(server: self),
                    ])
                }
            }
        do {
            let channel = try await bootstrap.bind(host: configuration.host, port: configuration.port).get()
            listener.set(channel)
            await onRunning(channel.localAddress?.port ?? 0)
            try await withTaskCancellationHandler {
                try await channel.closeFuture.get()
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    /// Closes the listener: `run` returns once open connections are done.
    public func stop() {
        listener.close()
    }

    /// The answer to one request, with one log line for it. Called off the event loop: a tile
    /// decodes and encodes pixels.
    func respond(to request: ViewerRequest) -> ViewerResponse {
        let started = ContinuousClock.now
        let target = request.target
        let path = String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0])
        let route = target.utf8.count > configuration.maxTargetLength ? nil : ViewerRoute(path: path)
        var response: ViewerResponse
        if route == nil {
            response = .plain(.uriTooLong, "request target longer than \(configuration.maxTargetLength) bytes")
        } else if request.method != .GET && request.method != .HEAD {
            response = .plain(.methodNotAllowed, "only GET and HEAD")
            response.headers.add(name: "Allow", value: "GET, HEAD")
        } else {
            response = answer(route!, request: request)
        }
        let elapsed = started.duration(to: .now)
        metrics.countRequest(route: route?.label ?? "too-long", status: Int(response.status.code))
        let shown = target.count > 160 ? target.prefix(160) + "… (\(target.utf8.count) bytes)" : Substring(target)
        // A live page polls twice a second: its answered polls would drown the run's own log lines.
        let poll = response.status == .ok && (route == .status || route == .liveCanvas)
        if !poll { log("\(request.method) \(shown) \(response.status.code) \(Self.milliseconds(elapsed)) ms") }
        return response
    }

    private func answer(_ route: ViewerRoute, request: ViewerRequest) -> ViewerResponse {
        switch route {
        case .home where live != nil:
            return .page(LivePage.page)
        case .status, .liveCanvas, .levelPreview:
            guard let live else { return .plain(.notFound, "not found: this server watches no run") }
            return answer(route, of: live)
        case .home:
            if names.count == 1 { return .page(ViewerPage.viewer(name: names[0], galleryLink: false)) }
            return .page(ViewerPage.gallery(names.map(galleryEntry)))
        case .viewer(let name):
            guard images[name] != nil else { return .plain(.notFound, "no image named \(name)") }
            return .page(ViewerPage.viewer(name: name, galleryLink: names.count > 1))
        case .descriptor(let name):
            guard let image = images[name] else { return .plain(.notFound, "no image named \(name)") }
            return ViewerResponse(
                status: .ok, contentType: "application/xml", cacheControl: "no-cache",
                body: Array(image.source.layout.descriptor(format: configuration.tileFormat.fileExtension).utf8))
        case .tile(let name, let level, let column, let row, let fileExtension):
            guard let image = images[name] else { return .plain(.notFound, "no image named \(name)") }
            guard fileExtension == configuration.tileFormat.fileExtension,
                let rect = image.source.layout.tileRect(level: level, column: column, row: row)
            else { return .plain(.notFound, "no tile \(level)/\(column)_\(row).\(fileExtension) of \(name)") }
            return tile(of: image, level: level, column: column, row: row, rect: rect, request: request)
        case .metrics:
            if let live, let liveMetrics { liveMetrics.record(live.status()) }
            return ViewerResponse(
                status: .ok, contentType: "text/plain; version=0.0.4; charset=utf-8", cacheControl: "no-store",
                body: Array(metrics.exposition().utf8))
        case .unknown:
            return .plain(.notFound, "not found")
        }
    }

    /// A live run's status, overview or level preview.
    private func answer(_ route: ViewerRoute, of live: LiveRun) -> ViewerResponse {
        switch route {
        case .liveCanvas:
            do {
                guard let png = try live.overviewPNG() else { return .plain(.notFound, "no level has started yet") }
                return ViewerResponse(status: .ok, contentType: "image/png", cacheControl: "no-store", body: png)
            } catch {
                log("the live overview could not be encoded: \(error)")
                return .plain(.internalServerError, "the overview could not be made")
            }
        case .levelPreview(let level):
            guard let png = live.previewPNG(level: level - 1) else {
                return .plain(.notFound, "no preview of level \(level): it has not finished")
            }
            return ViewerResponse(status: .ok, contentType: "image/png", cacheControl: "no-store", body: png)
        default:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let json = try? encoder.encode(live.status()) else {
                return .plain(.internalServerError, "the status could not be encoded")
            }
            return ViewerResponse(
                status: .ok, contentType: "application/json", cacheControl: "no-store", body: Array(json))
        }
    }

    /// A tile: 304 when the client's ETag is current, else from the cache or made now.
    private func tile(
        of image: ServedImage, level: Int, column: Int, row: Int, rect: PixelRect, request: ViewerRequest
    ) -> ViewerResponse {
        let format = configuration.tileFormat
        let etag = image.etag(level: level, column: column, row: row, format: format)
        let cacheControl = "public, max-age=86400"
        if let tags = request.ifNoneMatch, Self.matches(tags, etag) {
            metrics.notModified.increment()
            var response = ViewerResponse(status: .notModified, contentType: nil, cacheControl: cacheControl, body: [])
            response.headers.add(name: "ETag", value: etag)
            return response
        }
        let bytes: [UInt8]
        if let cached = cache.bytes(for: etag) {
            metrics.tilesFromCache.increment()
            bytes = cached
        } else {
            let started = ContinuousClock.now
            do {
                let pixels = try image.source.read(region: rect, level: level)
                bytes = try format.encode(pixels, quality: configuration.quality)
            } catch {
                log("\(image.source.path): tile \(level)/\(column)_\(row): \(error)")
                return .plain(.internalServerError, "the tile could not be made")
            }
            metrics.tileSeconds.recordSeconds(Self.seconds(started.duration(to: .now)))
            metrics.tilesMade.increment()
            cache.store(bytes, for: etag)
        }
        metrics.bytesOut.increment(by: bytes.count)
        var response = ViewerResponse(
            status: .ok, contentType: format.mediaType, cacheControl: cacheControl, body: bytes)
        response.headers.add(name: "ETag", value: etag)
        return response
    }

    /// Whether an `If-None-Match` value names `etag` (or is `*`); weak tags compare by value.
    static func matches(_ header: String, _ etag: String) -> Bool {
        header.split(separator: ",").contains { candidate in
            let tag = candidate.trimmingCharacters(in: .whitespaces)
            return tag == "*" || tag == etag || tag == "W/" + etag
        }
    }

    private func galleryEntry(_ name: String) -> (name: String, width: Int, height: Int, thumbnail: String) {
        let layout = images[name]!.source.layout
        var level = layout.maxLevel
        while level > 0, max(layout.size(of: level).width, layout.size(of: level).height) > layout.tileSize {
            level -= 1
        }
        let thumbnail = "/images/\(name)_files/\(level)/0_0.\(configuration.tileFormat.fileExtension)"
        return (name, layout.width, layout.height, thumbnail)
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func milliseconds(_ duration: Duration) -> String {
        String(format: "%.1f", seconds(duration) * 1000)
    }
}

/// The listening channel, once bound, for `stop()` from another thread.
private final class ListeningChannel: @unchecked Sendable {
    private let lock = NSLock()
    private var channel: (any Channel)?
    private var closed = false

    func set(_ channel: any Channel) {
        let closeNow = lock.withLock {
            self.channel = channel
            return closed
        }
        if closeNow { channel.close(promise: nil) }
    }

    func close() {
        let channel = lock.withLock {
            closed = true
            return self.channel
        }
        channel?.close(promise: nil)
    }
}
