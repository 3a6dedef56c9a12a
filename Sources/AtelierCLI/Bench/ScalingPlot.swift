import Foundation
import ImageIO

/// The speed-up against the number of workers as a PNG written by ImageIO: both axes in powers of
/// two from 1 to the largest N (a tick at each), the ideal speed-up (speed-up = N) as a grey
/// diagonal and the measured one in blue with a dot at each N. No text: the numbers are in the
/// command's table and JSON.
struct ScalingPlot {
    static let width = 480, height = 360, margin = 30

    /// The measured (workers, speed-up) points.
    var points: [(workers: Int, speedup: Double)]

    func write(to path: String) throws {
        var raster = Raster(width: Self.width, height: Self.height, layout: .rgb, fill: 1)
        let largest = Double(max(2, points.map(\.workers).max() ?? 2))
        let span = log2(largest)
        // Plot coordinates: log2 of N and of the speed-up, 0…span on both axes.
        func pixel(_ u: Double, _ v: Double) -> (Int, Int) {
            let left = Double(Self.margin), bottom = Double(Self.height - Self.margin)
            let x = left + u / span * Double(Self.width - 2 * Self.margin)
            let y = bottom - v / span * Double(Self.height - 2 * Self.margin)
            return (Int(x.rounded()), Int(y.rounded()))
        }
        let black: [Float] = [0, 0, 0], grey: [Float] = [0.6, 0.6, 0.6], blue: [Float] = [0.1, 0.3, 0.85]
        line(&raster, pixel(0, 0), pixel(span, 0), black)
        line(&raster, pixel(0, 0), pixel(0, span), black)
        var power = 0.0
        while power <= span + 1e-9 {
            let (x, y) = pixel(power, 0), (x0, y0) = pixel(0, power)
            line(&raster, (x, y), (x, y + 5), black)
            line(&raster, (x0 - 5, y0), (x0, y0), black)
            power += 1
        }
        line(&raster, pixel(0, 0), pixel(span, span), grey)
        let measured = points.sorted { $0.workers < $1.workers }.map {
            pixel(log2(Double($0.workers)), log2(max(1e-3, $0.speedup)))
        }
        for (from, to) in zip(measured, measured.dropFirst()) { line(&raster, from, to, blue) }
        for point in measured { dot(&raster, point, blue) }
        try PNGFile.write(raster, to: path)
    }

    /// A line two pixels thick, by stepping along its longer axis.
    private func line(_ raster: inout Raster, _ from: (Int, Int), _ to: (Int, Int), _ colour: [Float]) {
        let steps = max(abs(to.0 - from.0), abs(to.1 - from.1), 1)
        for step in 0...steps {
            let t = Double(step) / Double(steps)
            let x = Int((Double(from.0) + t * Double(to.0 - from.0)).rounded())
            let y = Int((Double(from.1) + t * Double(to.1 - from.1)).rounded())
            for (dx, dy) in [(0, 0), (1, 0), (0, 1), (1, 1)] { set(&raster, x + dx, y + dy, colour) }
        }
    }

    private func dot(_ raster: inout Raster, _ centre: (Int, Int), _ colour: [Float]) {
        for dy in -3...3 {
            for dx in -3...3 where dx * dx + dy * dy <= 10 { set(&raster, centre.0 + dx, centre.1 + dy, colour) }
        }
    }

    /// Clipped to the image: points off the axes' range are drawn only where they fall inside it.
    private func set(_ raster: inout Raster, _ x: Int, _ y: Int, _ colour: [Float]) {
        guard (0..<raster.width).contains(x), (0..<raster.height).contains(y) else { return }
        let offset = y * raster.width + x
        for channel in 0..<3 { raster.samples[raster.planeRange(channel).lowerBound + offset] = colour[channel] }
    }
}
