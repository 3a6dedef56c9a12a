/// The Winograd lowering of a 3×3, padding-1, stride-1 convolution (see `WinogradAlgorithm`).
///
/// The image is cut into m×m output tiles; bands of tile rows are processed one at a time so that
/// scratch memory stays under a budget, as in the im2col lowering. Per band:
/// 1. every input channel's α×α tiles are transformed (Bᵀ d B) into α² matrices Cin × tiles;
/// 2. α² SGEMMs multiply them by the transformed kernels (Cout × Cin each) into α² matrices
///    Cout × tiles: the element-wise products, batched over channels;
/// 3. every output channel's tiles are transformed back (Aᵀ M A), biased and written out, clipped
///    to the image where its size is not a multiple of m.
///
/// The transforms run in parallel over channels; each element's arithmetic is the same whatever
/// the split, so the result does not depend on the thread count.
enum Winograd {
    /// Which convolution of a layer's kernels to run.
    enum Direction {
        /// The layer itself: Cin → Cout.
        case forward
        /// Its input gradient: the kernels flipped, channels swapped (Cout → Cin), no bias.
        case backward
    }

    /// The most floats of transformed kernels held at once. A layer whose kernels take more is
    /// run in blocks of output channels, each block's kernels transformed anew for every band:
    /// all of conv4_2's would take 16 MiB (F(2×2, 3×3)), as much again as a band, and a 512² VGG
    /// pass would then peak above the im2col lowering's.
    nonisolated(unsafe) static var kernelBudget = 1 << 20

    /// The convolution of `input` by a layer's 3×3 kernels by Winograd's algorithm, plus `bias`.
    ///
    /// The kernels are transformed on every call into a workspace buffer rather than cached: a
    /// cache holds α²/9 times the weights per direction (F(4×4, 3×3): 4×, 470 MB for VGG-16's
    /// forward and backward), while the transform costs about 2·α² multiply-adds per kernel
    /// against the layer's α²·tiles.
    /// - Parameters:
    ///   - weight: the layer's Cout × (Cin·9) OIHW weight matrix.
    ///   - budget: the most floats of transformed tiles and products held per band.
    static func convolve<Algorithm: WinogradAlgorithm>(
        _ algorithm: Algorithm.Type, _ input: Tensor, weight: Tensor, direction: Direction,
        bias: Tensor?, into output: Tensor, workspace: Workspace, budget: Int
    ) {
        let positions = Algorithm.inputTile * Algorithm.inputTile
        let (inputChannels, outputChannels) = (input.channels, output.channels)
        let kernels = KernelSet(
            weight: weight, direction: direction, inputChannels: inputChannels, outputChannels: outputChannels,
            blockRows: max(1, min(outputChannels, kernelBudget / max(positions * inputChannels, 1))))
        let transformedKernels = workspace.buffer(slot: 4, count: positions * kernels.blockRows * inputChannels)
        let geometry = TileGeometry(
            outputTile: Algorithm.outputTile, height: input.height, width: input.width,
            inputChannels: inputChannels, outputChannels: kernels.blockRows, budget: budget)
        // Transformed tiles and products share one buffer (the im2col column's slot), so the band
        // budget bounds both together. 8 floats of slack: the output transform loads whole
        // vectors at a row's last tiles.
        let transformedCount = positions * inputChannels * geometry.bandTiles
        let bandBuffer = workspace.buffer(
            slot: 0, count: transformedCount + positions * kernels.blockRows * geometry.bandTiles + 8)
        let transformed = SharedPointer(bandBuffer), products = SharedPointer(bandBuffer + transformedCount)
        let chunks = min(Engine.threads, max(inputChannels, outputChannels))
        let scratch = workspace.buffer(slot: 3, count: chunks * geometry.scratchPerChunk)
        let biasValues = bias.map { SharedPointer($0.storage) }
        if kernels.blocks == 1 {
            transformKernels(algorithm, kernels, rows: 0..<outputChannels, into: transformedKernels)
        }
        var firstTileRow = 0
        while firstTileRow < geometry.tileRows {
            let band = Band(
                firstTileRow: firstTileRow, tileRows: min(geometry.bandTileRows, geometry.tileRows - firstTileRow))
            let tiles = band.tileRows * geometry.tileColumns
            forEachChunk(of: 0..<inputChannels, chunks: chunks, scratch: scratch, geometry: geometry) {
                channels, local in
                for channel in channels {
                    transformInput(
                        Algorithm.self, channel: channel, band: band, input: input, geometry: geometry,
                        into: transformed.base, scratch: local)
                }
            }
            for block in 0..<kernels.blocks {
                let rows = kernels.rows(ofBlock: block)
                if kernels.blocks > 1 { transformKernels(algorithm, kernels, rows: rows, into: transformedKernels) }
                for position in 0..<positions {
                    Matrix.gemm(
                        .normal, .normal, m: rows.count, n: tiles, k: inputChannels,
                        a: transformedKernels + position * rows.count * inputChannels, lda: inputChannels,
                        b: transformed.base + position * inputChannels * tiles, ldb: tiles,
                        c: products.base + position * rows.count * tiles, ldc: tiles)
                }
                forEachChunk(of: rows, chunks: chunks, scratch: scratch, geometry: geometry) { channels, local in
                    for channel in channels {
                        transformOutput(
                            Algorithm.self, channel: channel, productRow: channel - rows.lowerBound,
                            productRows: rows.count, band: band, products: products.base,
                            bias: biasValues.map { $0.base[channel] } ?? 0, geometry: geometry,
                            into: output, scratch: local)
                    }
                }
            }
            firstTileRow += band.tileRows
        }
    }

    /// A layer's kernels as the convolution's GEMMs read them: row r, column c is the kernel from
    /// the convolution's input channel c to its output channel r (forward, the layer's own
    /// kernel (r, c); backward, the layer's kernel (c, r) rotated by 180°), the rows cut into
    /// `blocks` near-equal blocks of at most `blockRows`.
    struct KernelSet {
        let weight: Tensor
        let direction: Direction
        /// The convolution's input and output channels (the layer's own, swapped backward).
        let inputChannels: Int, outputChannels: Int
        let blockRows: Int
        var blocks: Int { (outputChannels + blockRows - 1) / blockRows }

        func rows(ofBlock block: Int) -> Range<Int> {
            (outputChannels * block / blocks)..<(outputChannels * (block + 1) / blocks)
        }

        /// Where kernel (row, column)'s nine taps start in `weight`, and how far apart the kernels
        /// of neighbouring columns lie.
        func offset(row: Int, column: Int) -> Int {
            direction == .forward ? (row * inputChannels + column) * 9 : (column * outputChannels + row) * 9
        }
        var columnStride: Int { direction == .forward ? 9 : outputChannels * 9 }
    }

    /// Transforms the kernels of `rows` to G g Gᵀ: α² matrices of rows.count × Cin values
    /// (position i·α + j is matrix i·α + j), eight kernels of a row at a time in the SIMD lanes.
    /// Plain Swift rather than an SGEMM: its arithmetic is fixed, whatever the threads.
    static func transformKernels<Algorithm: WinogradAlgorithm>(
        _ algorithm: Algorithm.Type, _ kernels: KernelSet, rows: Range<Int>, into target: UnsafeMutablePointer<Float>
    ) {
        let alpha = Algorithm.inputTile, columns = kernels.inputChannels
        let matrixCount = rows.count * columns, groupsPerRow = (columns + 7) / 8
        let source = SharedPointer(kernels.weight.storage), shared = SharedPointer(target)
        let stride = kernels.columnStride, flipped = kernels.direction == .backward
        Engine.parallelChunks(rows.count * groupsPerRow) { range in
            withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 9 + alpha * 3 + alpha * alpha) { buffer in
                let taps = buffer.baseAddress!, half = taps + 9, full = half + alpha * 3
                for group in range {
                    let row = rows.lowerBound + group / groupsPerRow, first = group % groupsPerRow * 8
                    let lanes = min(8, columns - first)
                    let base = source.base + kernels.offset(row: row, column: first)
                    for tap in 0..<9 {
                        let p = base + (flipped ? 8 - tap : tap)
                        if lanes == 8 {
                            taps[tap] = SIMD8(
                                p[0], p[stride], p[2 * stride], p[3 * stride],
                                p[4 * stride], p[5 * stride], p[6 * stride], p[7 * stride])
                        } else {
                            var vector = SIMD8<Float>()
                            for lane in 0..<lanes { vector[lane] = p[lane * stride] }
                            taps[tap] = vector
                        }
                    }
                    // G g down the kernel's columns (α×3), then (G g) Gᵀ along its rows (α×α).
                    for b in 0..<3 { Algorithm.transformKernel(taps + b, stride: 3, into: half + b, targetStride: 3) }
                    for i in 0..<alpha {
                        Algorithm.transformKernel(half + i * 3, stride: 1, into: full + i * alpha, targetStride: 1)
                    }
                    let column = (row - rows.lowerBound) * columns + first
                    for position in 0..<alpha * alpha {
                        store(full[position], lanes: lanes, to: shared.base + position * matrixCount + column)
                    }
                }
            }
        }
    }

    /// The tiling of one image for one algorithm.
    struct TileGeometry {
        let outputTile: Int
        let height: Int, width: Int
        let tileRows: Int, tileColumns: Int
        /// Groups of eight tiles along a row (the SIMD lanes); the last one may be partial.
        let tileGroups: Int
        /// Floats in one zero-padded input row: column 0 is x = −1, and the row runs on past the
        /// last group's eighth tile so that its loads never need a bounds check.
        let paddedRowLength: Int
        let bandTileRows: Int
        var bandTiles: Int { bandTileRows * tileColumns }
        var inputTile: Int { outputTile + 2 }
        var positions: Int { inputTile * inputTile }
        /// Per parallel chunk: α² + m² vectors, then α padded input rows.
        /// Rounded up to 16 floats so that every chunk's vectors stay 64-byte aligned.
        var scratchPerChunk: Int {
            ((positions + outputTile * outputTile) * 8 + inputTile * paddedRowLength + 15) / 16 * 16
        }

        init(outputTile m: Int, height: Int, width: Int, inputChannels: Int, outputChannels: Int, budget: Int) {
            outputTile = m
            self.height = height
            self.width = width
            tileRows = (height + m - 1) / m
            tileColumns = (width + m - 1) / m
            tileGroups = (tileColumns + 7) / 8
            paddedRowLength = m * tileGroups * 8 + 2
            let perTileRow = (m + 2) * (m + 2) * (inputChannels + outputChannels) * tileColumns
            bandTileRows = max(1, min(tileRows, budget / max(perTileRow, 1)))
        }
    }

    struct Band {
        let firstTileRow: Int
        let tileRows: Int
    }

    /// Splits the channels `range` into `chunks` contiguous ranges run in parallel, each lent its
    /// own slice of `scratch`, the first `(positions + m²)·8` floats of it as vectors.
    private static func forEachChunk(
        of range: Range<Int>, chunks: Int, scratch: UnsafeMutablePointer<Float>, geometry: TileGeometry,
        _ body: @Sendable (Range<Int>, UnsafeMutablePointer<Float>) -> Void
    ) {
        let shared = SharedPointer(scratch), perChunk = geometry.scratchPerChunk
        let (total, first) = (range.count, range.lowerBound)
        let count = min(chunks, total)
        Engine.parallelFor(count) { chunk in
            let part = (first + total * chunk / count)..<(first + total * (chunk + 1) / count)
            if !part.isEmpty { body(part, shared.base + chunk * perChunk) }
        }
    }

    /// Bᵀ d B for every tile of one input channel in one band, written to position p's matrix at
    /// row `channel`, column (tile row in band)·tileColumns + tile column.
    @inline(__always)
    private static func transformInput<Algorithm: WinogradAlgorithm>(
        _ algorithm: Algorithm.Type, channel: Int, band: Band, input: Tensor, geometry: TileGeometry,
        into transformed: UnsafeMutablePointer<Float>, scratch: UnsafeMutablePointer<Float>
    ) {
        let m = Algorithm.outputTile, alpha = Algorithm.inputTile, positions = alpha * alpha
        let (height, width, rowLength) = (geometry.height, geometry.width, geometry.paddedRowLength)
        let tiles = band.tileRows * geometry.tileColumns
        let channels = input.channels
        let vectors = UnsafeMutableRawPointer(scratch).bindMemory(to: SIMD8<Float>.self, capacity: positions)
        let rows = scratch + (positions + m * m) * 8
        let plane = input.storage + channel * height * width
        for tileRow in 0..<band.tileRows {
            // The α input rows of this tile row, zero-padded on both sides and outside the image.
            let top = (band.firstTileRow + tileRow) * m - 1
            for k in 0..<alpha {
                let row = rows + k * rowLength, y = top + k
                if y >= 0 && y < height {
                    row[0] = 0
                    (row + 1).update(from: plane + y * width, count: width)
                    (row + 1 + width).update(repeating: 0, count: rowLength - 1 - width)
                } else {
                    row.update(repeating: 0, count: rowLength)
                }
            }
            for group in 0..<geometry.tileGroups {
                let firstTile = group * 8
                // Tile t's pixel (k, l) is padded row k, column m·t + l: lanes are m apart.
                for k in 0..<alpha {
                    for l in 0..<alpha {
                        let p = rows + k * rowLength + m * firstTile + l
                        vectors[k * alpha + l] = SIMD8(
                            p[0], p[m], p[2 * m], p[3 * m], p[4 * m], p[5 * m], p[6 * m], p[7 * m])
                    }
                }
                for l in 0..<alpha { Algorithm.transformInput(vectors + l, stride: alpha) }
                for i in 0..<alpha { Algorithm.transformInput(vectors + i * alpha, stride: 1) }
                let lanes = min(8, geometry.tileColumns - firstTile)
                let column = tileRow * geometry.tileColumns + firstTile
                for position in 0..<positions {
                    let target = transformed + (position * channels + channel) * tiles + column
                    store(vectors[position], lanes: lanes, to: target)
                }
            }
        }
    }

    /// Aᵀ M A for every tile of one output channel in one band, plus the bias, written into the
    /// output where the tile lies inside the image. The channel's products are row `productRow`
    /// of the `productRows` rows of each position's matrix (its block's).
    @inline(__always)
    private static func transformOutput<Algorithm: WinogradAlgorithm>(
        _ algorithm: Algorithm.Type, channel: Int, productRow: Int, productRows: Int, band: Band,
        products: UnsafeMutablePointer<Float>, bias: Float, geometry: TileGeometry, into output: Tensor,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let m = Algorithm.outputTile, alpha = Algorithm.inputTile, positions = alpha * alpha
        let (height, width) = (geometry.height, geometry.width)
        let tiles = band.tileRows * geometry.tileColumns
        let vectors = UnsafeMutableRawPointer(scratch).bindMemory(to: SIMD8<Float>.self, capacity: positions + m * m)
        let results = vectors + positions
        let plane = output.storage + channel * height * width
        for tileRow in 0..<band.tileRows {
            let top = (band.firstTileRow + tileRow) * m
            let rowCount = min(m, height - top)
            for group in 0..<geometry.tileGroups {
                let firstTile = group * 8
                let column = tileRow * geometry.tileColumns + firstTile
                for position in 0..<positions {
                    let source = products + (position * productRows + productRow) * tiles + column
                    vectors[position] = UnsafeRawPointer(source).loadUnaligned(as: SIMD8<Float>.self)
                }
                // Aᵀ down the columns (in place: each column is read whole before it is written),
                // then along the first m rows into `results`.
                for j in 0..<alpha {
                    Algorithm.transformOutput(vectors + j, stride: alpha, into: vectors + j, targetStride: alpha)
                }
                for a in 0..<m {
                    Algorithm.transformOutput(vectors + a * alpha, stride: 1, into: results + a * m, targetStride: 1)
                }
                let lanes = min(8, geometry.tileColumns - firstTile)
                for lane in 0..<lanes {
                    let left = (firstTile + lane) * m
                    let columnCount = min(m, width - left)
                    for a in 0..<rowCount {
                        let target = plane + (top + a) * width + left
                        for b in 0..<columnCount { target[b] = results[a * m + b][lane] + bias }
                    }
                }
            }
        }
    }

    /// Stores the first `lanes` lanes of `vector` at `target` (all eight with one unaligned store).
    @inline(__always)
    private static func store(_ vector: SIMD8<Float>, lanes: Int, to target: UnsafeMutablePointer<Float>) {
        if lanes == 8 {
            UnsafeMutableRawPointer(target).storeBytes(of: vector, as: SIMD8<Float>.self)
        } else {
            for lane in 0..<lanes { target[lane] = vector[lane] }
        }
    }
}
