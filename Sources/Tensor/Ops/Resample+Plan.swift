extension Resample {
    /// A resize from one size to another, planned once (its tap tables) and applied one output
    /// window at a time from just the input window it reads (STYLE.md §5), so that a level of a
    /// gigapixel image can be made tile by tile. `Resample.forward` is the plan applied to the
    /// whole image: the same weights in the same summation order, hence a window is bit-identical
    /// to the same crop of the whole result.
    public struct Plan: Sendable {
        public let kind: Kind
        let rows: AxisResampler
        let columns: AxisResampler

        public init(kind: Kind, inputHeight: Int, inputWidth: Int, outputHeight: Int, outputWidth: Int) {
            self.kind = kind
            rows = AxisResampler(kind: kind, from: inputHeight, to: outputHeight)
            columns = AxisResampler(kind: kind, from: inputWidth, to: outputWidth)
        }

        public var inputHeight: Int { rows.inputSize }
        public var inputWidth: Int { columns.inputSize }
        public var outputHeight: Int { rows.outputSize }
        public var outputWidth: Int { columns.outputSize }

        /// The input rows that output rows `outputRows` read.
        public func inputRows(for outputRows: Range<Int>) -> Range<Int> { rows.inputRange(for: outputRows) }

        /// The input columns that output columns `outputColumns` read.
        public func inputColumns(for outputColumns: Range<Int>) -> Range<Int> {
            columns.inputRange(for: outputColumns)
        }

        /// Computes the output window `outputRows` × `outputColumns` into `output` (C × rows × columns).
        /// - Parameters:
        ///   - input: C × h × w holding input rows `inputRows` and columns `inputColumns` of the
        ///     whole input, which must contain `inputRows(for: outputRows)` and
        ///     `inputColumns(for: outputColumns)`; by default exactly those.
        public func apply(
            _ input: Tensor, inputRows: Range<Int>? = nil, inputColumns: Range<Int>? = nil, outputRows: Range<Int>,
            outputColumns: Range<Int>, into output: Tensor, workspace: Workspace? = nil
        ) {
            let needRows = self.inputRows(for: outputRows), needColumns = self.inputColumns(for: outputColumns)
            let readRows = inputRows ?? needRows, readColumns = inputColumns ?? needColumns
            precondition(
                input.height == readRows.count && input.width == readColumns.count
                    && readRows.clamped(to: needRows) == needRows && readColumns.clamped(to: needColumns) == needColumns
                    && output.channels == input.channels && output.height == outputRows.count
                    && output.width == outputColumns.count,
                "Resample window \(input.shape) → \(output.shape)")
            let scratch = workspace ?? Workspace()
            // Columns first into C×h×wOut, then rows into C×hOut×wOut (the order forward has always used).
            let middle = scratch.buffer(slot: 1, count: input.channels * input.height * output.width)
            columns.applyAlongRows(
                input.storage, rows: input.channels * input.height, into: middle, inputStride: input.width,
                inputOffset: readColumns.lowerBound, outputs: outputColumns)
            let planeIn = input.height * output.width, planeOut = output.height * output.width
            for c in 0..<input.channels {
                rows.applyAlongColumns(
                    middle + c * planeIn, width: output.width, into: output.storage + c * planeOut,
                    inputOffset: readRows.lowerBound, outputs: outputRows)
            }
        }
    }
}
