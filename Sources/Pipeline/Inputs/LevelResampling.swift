import ImageIO
import Tensor

/// How a level is made from a full-resolution image that can only be read by rectangle: the
/// whole-image resize of `Resample.forward` (`MultiScaleStylizer.resized` for the content, area
/// averaging for the DSS groups), computed for one level rectangle at a time. Each rectangle is cut
/// into chunks whose input stays under `inputBudget` pixels, so a coarse level of a gigapixel image
/// (where one level pixel covers many source pixels) never reads a huge region at once; a chunk
/// is exact on its own (`Resample.Plan`), so the result is bit-identical to the in-memory path.
struct LevelResampling: Sendable {
    let sourceSize: PixelSize
    let levelSize: PixelSize
    /// Nil when the level is the source's size: the whole-image path copies then (`resized`).
    let plan: Resample.Plan?
    /// Clamp to 0…1 afterwards, as `MultiScaleStylizer.resized` does after bicubic enlarging.
    let clampsToUnit: Bool
    /// The most source pixels one chunk reads: 1 Mi (12 MB of RGB floats, plus the decoded region).
    var inputBudget = 1 << 20

    init(from sourceSize: PixelSize, to levelSize: PixelSize, kind: Resample.Kind, clampsToUnit: Bool) {
        self.sourceSize = sourceSize
        self.levelSize = levelSize
        self.clampsToUnit = clampsToUnit && kind == .bicubic
        plan =
            sourceSize == levelSize
            ? nil
            : Resample.Plan(
                kind: kind, inputHeight: sourceSize.height, inputWidth: sourceSize.width,
                outputHeight: levelSize.height, outputWidth: levelSize.width)
    }

    /// The source rectangle that level rectangle `rect` reads.
    func sourceRect(for rect: PixelRect) -> PixelRect {
        guard let plan else { return rect }
        let columns = plan.inputColumns(for: rect.x..<rect.maxX), rows = plan.inputRows(for: rect.y..<rect.maxY)
        return PixelRect(x: columns.lowerBound, y: rows.lowerBound, width: columns.count, height: rows.count)
    }

    /// The pixels of level rectangle `rect` (channels × rect), from `read`, which returns the
    /// channels × r pixels of any source rectangle r.
    func level(_ rect: PixelRect, channels: Int, read: (PixelRect) throws -> Tensor) rethrows -> Tensor {
        precondition(PixelRect(width: levelSize.width, height: levelSize.height).contains(rect) && !rect.isEmpty,
                     "level rectangle \(rect) is not inside \(levelSize)")
        guard let plan else { return try read(rect) }
        let output = Tensor(channels: channels, height: rect.height, width: rect.width)
        let workspace = Workspace()
        for chunk in rect.tiles(width: chunkSide(levelSide: levelSize.width, sourceSide: sourceSize.width),
                                height: chunkSide(levelSide: levelSize.height, sourceSide: sourceSize.height)) {
            let input = try read(sourceRect(for: chunk))
            let part = Tensor(channels: channels, height: chunk.height, width: chunk.width)
            plan.apply(input, outputRows: chunk.y..<chunk.maxY, outputColumns: chunk.x..<chunk.maxX, into: part,
                       workspace: workspace)
            if clampsToUnit { part.clamp(to: 0...1) }
            output.paste(part, atX: chunk.x - rect.x, y: chunk.y - rect.y)
        }
        return output
    }

    /// Level pixels per chunk side so that a square chunk reads about `inputBudget` source pixels.
    private func chunkSide(levelSide: Int, sourceSide: Int) -> Int {
        let side = Double(inputBudget).squareRoot() * Double(levelSide) / Double(sourceSide)
        return max(8, Int(side))
    }
}
