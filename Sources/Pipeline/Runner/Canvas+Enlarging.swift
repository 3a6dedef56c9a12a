import ImageIO
import Tensor
import Transfer

extension Canvas {
    /// Fills the whole canvas from `pixels`, `band`² rectangles at a time in row-major order (a
    /// mapped canvas keeps its own resident pages bounded, see `CanvasFile.residentBudget`).
    /// - Throws: what `pixels` throws.
    func fill(band: Int = 512, with pixels: (PixelRect) throws -> Tensor) throws {
        let grid = PixelRect(width: width, height: height).tiles(width: band, height: band)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns {
                let rect = grid.cell(column: column, row: row)
                write(try pixels(rect), at: rect)
            }
        }
    }

    /// Fills this canvas with `coarser` enlarged to its size: the bicubic upsampling, clamped to
    /// 0…1, that starts each finer level (DESIGN.md §1). The bytes are those of
    /// `MultiScaleStylizer.resized(coarser, width:height:kind: .bicubic)` on the whole image
    /// (`LevelResampling` computes each chunk exactly), with a band of rows resident at a time.
    func fill(enlarging coarser: any Canvas, band: Int = 512) throws {
        precondition(coarser.channels == channels, "\(coarser.channels) channels enlarged into \(channels)")
        let resampling = LevelResampling(
            from: PixelSize(width: coarser.width, height: coarser.height), to: PixelSize(width: width, height: height),
            kind: .bicubic, clampsToUnit: true)
        try fill(band: band) { rect in resampling.level(rect, channels: channels) { coarser.read($0) } }
    }
}
