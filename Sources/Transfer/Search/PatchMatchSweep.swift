import Tensor

/// The working state of one approximate search, shared by the threads that sweep its bands of
/// query rows. Each band writes only its own queries' candidate lists; it reads a neighbour in
/// another band only from `snapshot` (the best matches when the pass began), so the result does
/// not depend on which thread ran which band, or when.
struct PatchMatchSweep: @unchecked Sendable {
    /// Projected query keys (P × d) and projected style keys (N × d).
    let queries: UnsafePointer<Float>
    let bank: UnsafePointer<Float>
    let dimension: Int
    /// The full query keys (P × D) and style keys (N × D), for the rescoring.
    let queryKeys: UnsafePointer<Float>
    let bankKeys: UnsafePointer<Float>
    let length: Int
    let rows: Int, columns: Int
    let bankRows: Int, bankColumns: Int
    /// Per query: its label, or −1 for any; per style patch: its label. Nil without labels.
    let queryLabels: UnsafePointer<Int32>?
    let bankLabels: UnsafePointer<Int32>?
    /// Style patches grouped by label (see `ApproximatePatchSearch.members`).
    let members: UnsafePointer<Int32>?
    let offsets: UnsafePointer<Int>
    /// Per query, `candidates` style indices sorted by screening score (best first; −1 empty),
    /// and a copy of them taken when the pass began.
    let candidates: Int
    let indices: UnsafeMutablePointer<Int32>
    let scores: UnsafeMutablePointer<Float>
    let snapshot: UnsafeMutablePointer<Int32>
    let seed: UInt64

    private var bankCount: Int { bankRows * bankColumns }

    private func rowRange(band: Int) -> Range<Int> {
        let start = band * ApproximatePatchSearch.bandRows
        return start..<min(rows, start + ApproximatePatchSearch.bandRows)
    }

    /// A generator of its own for query p in pass `pass` (−1: the start).
    private func generator(_ p: Int, pass: Int) -> SplitMix64 {
        var random = SplitMix64(seed: seed ^ (UInt64(bitPattern: Int64(pass)) &* 0x9E37_79B9_7F4A_7C15)
            ^ (UInt64(p) &* 0xC2B2_AE3D_27D4_EB4F))
        _ = random.next()
        return random
    }

    private func allowed(_ p: Int, _ c: Int) -> Bool {
        guard let queryLabels, let bankLabels else { return true }
        let label = queryLabels[p]
        return label < 0 || bankLabels[c] == label
    }

    /// A uniformly random style patch that query p may match.
    private func randomMatch(_ p: Int, _ random: inout SplitMix64) -> Int {
        if let queryLabels, let members, queryLabels[p] >= 0 {
            let label = Int(queryLabels[p])
            let (start, end) = (offsets[label], offsets[label + 1])
            return Int(members[start + Int(random.next() % UInt64(end - start))])
        }
        return Int(random.next() % UInt64(bankCount))
    }

    /// Scores style patch c for query p in the projection and keeps it if it is among the best.
    @inline(__always)
    private func consider(_ p: Int, _ c: Int) {
        guard allowed(p, c) else { return }
        let list = indices + p * candidates
        for j in 0..<candidates where list[j] == Int32(c) { return }
        keep(p, c, score: Vector.dot(queries + p * dimension, bank + c * dimension, count: dimension))
    }

    /// Puts style patch c, of screening score `score`, into query p's sorted list if it beats the
    /// last one (an equal score keeps the earlier entry).
    @inline(__always)
    private func keep(_ p: Int, _ c: Int, score: Float) {
        let list = indices + p * candidates, values = scores + p * candidates
        guard score > values[candidates - 1] else { return }
        var j = candidates - 1
        while j > 0 && values[j - 1] < score {
            list[j] = list[j - 1]
            values[j] = values[j - 1]
            j -= 1
        }
        list[j] = Int32(c)
        values[j] = score
    }

    /// Fills query p's list from `row`, the screening scores of every style patch (N values):
    /// the `candidates` best patches it may match, in patch order on ties. What the sweeps
    /// approach, found exactly (within the projection).
    func screenEveryPatch(_ p: Int, scores row: UnsafePointer<Float>) {
        let list = indices + p * candidates, values = scores + p * candidates
        for j in 0..<candidates {
            list[j] = -1
            values[j] = -.infinity
        }
        if let queryLabels, let members, queryLabels[p] >= 0 {
            let label = Int(queryLabels[p])
            for m in offsets[label]..<offsets[label + 1] {
                let c = Int(members[m])
                keep(p, c, score: row[c])
            }
        } else {
            for c in 0..<bankCount { keep(p, c, score: row[c]) }
        }
    }

    /// Sets up the band's candidate lists: the given field's match when it is a valid match for
    /// the query, else a random one.
    func start(band: Int, from field: UnsafePointer<Int32>?) {
        for y in rowRange(band: band) {
            for p in y * columns..<(y + 1) * columns {
                let list = indices + p * candidates, values = scores + p * candidates
                for j in 0..<candidates {
                    list[j] = -1
                    values[j] = -.infinity
                }
                var random = generator(p, pass: -1)
                let given = field.map { Int($0[p]) } ?? -1
                let first = given >= 0 && given < bankCount && allowed(p, given) ? given : randomMatch(p, &random)
                list[0] = Int32(first)
                values[0] = Vector.dot(queries + p * dimension, bank + first * dimension, count: dimension)
            }
        }
    }

    /// One PatchMatch pass over the band, in scan order on even passes and reversed on odd ones:
    /// propagation from the four neighbours (each of their candidates, shifted by one patch, as
    /// in the k-nearest-neighbour PatchMatch of Barnes et al. 2010), then random search in halving windows around the
    /// best match, then one uniformly random match of the query's label.
    func sweep(band: Int, pass: Int) {
        let range = rowRange(band: band)
        let forward = pass % 2 == 0
        for yi in 0..<range.count {
            let y = forward ? range.lowerBound + yi : range.upperBound - 1 - yi
            for xi in 0..<columns {
                let x = forward ? xi : columns - 1 - xi
                let p = y * columns + x
                for (dy, dx) in [(0, -1), (-1, 0), (0, 1), (1, 0)] {
                    let (ny, nx) = (y + dy, x + dx)
                    guard ny >= 0, ny < rows, nx >= 0, nx < columns else { continue }
                    let n = ny * columns + nx
                    let list = (range.contains(ny) ? UnsafePointer(indices) : UnsafePointer(snapshot)) + n * candidates
                    for j in 0..<candidates {
                        let match = Int(list[j])
                        guard match >= 0 else { break }
                        let (sy, sx) = (match / bankColumns - dy, match % bankColumns - dx)
                        guard sy >= 0, sy < bankRows, sx >= 0, sx < bankColumns else { continue }
                        consider(p, sy * bankColumns + sx)
                    }
                }
                var random = generator(p, pass: pass)
                let best = Int(indices[p * candidates])
                let (by, bx) = (best / bankColumns, best % bankColumns)
                var radius = max(bankRows, bankColumns)
                while radius >= 1 {
                    let span = UInt64(2 * radius + 1)
                    let ry = min(max(by + Int(random.next() % span) - radius, 0), bankRows - 1)
                    let rx = min(max(bx + Int(random.next() % span) - radius, 0), bankColumns - 1)
                    consider(p, ry * bankColumns + rx)
                    radius /= 2
                }
                consider(p, randomMatch(p, &random))
            }
        }
    }

    /// Rescores each query's candidates with the full keys and writes the best (the earlier
    /// candidate on a tie) and its exact score into the field. With `keepingGiven`, the field's
    /// own match (the one `start` read) is rescored too, so that a search from a field never
    /// returns a worse match than the one it was given, whatever the screening thought of it.
    func rescore(band: Int, into field: SharedField, keepingGiven: Bool) {
        for y in rowRange(band: band) {
            for p in y * columns..<(y + 1) * columns {
                var bestScore = -Float.infinity, best = Int(indices[p * candidates])
                let given = keepingGiven ? Int(field.matches[p]) : -1
                if given >= 0 && given < bankCount && allowed(p, given) {
                    bestScore = Vector.dot(queryKeys + p * length, bankKeys + given * length, count: length)
                    best = given
                }
                for j in 0..<candidates {
                    let c = Int(indices[p * candidates + j])
                    guard c >= 0 else { break }
                    if c == given { continue }
                    let score = Vector.dot(queryKeys + p * length, bankKeys + c * length, count: length)
                    if score > bestScore {
                        bestScore = score
                        best = c
                    }
                }
                field.write(p, match: Int32(best), score: bestScore)
            }
        }
    }
}
