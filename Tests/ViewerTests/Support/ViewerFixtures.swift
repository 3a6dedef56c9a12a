import Foundation
import ImageIO
import TestSupport

/// Files the viewer tests serve, made once per test process.
enum ViewerFixtures {
    /// The 2048×1786 Hubble painting of Examples/gallery as a tiled BigTIFF with its pyramid
    /// (256-pixel tiles; reduced levels 1024, 512, 256 wide), written by the project's writer.
    static let pyramid: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("atelier-viewer-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("hubble.tif").path
        do {
            let raster = try ImageFile.open(gallery("hubble.jpg")).readAll()
            try ImageWriter.write(raster, to: path, format: .tiff, options: .init(tiled: true))
        } catch {
            fatalError("the viewer's test pyramid could not be written: \(error)")
        }
        return path
    }()

    /// A file of Examples/gallery.
    static func gallery(_ name: String) -> String {
        Fixtures.projectRoot.appendingPathComponent("Examples/gallery/\(name)").path
    }

    /// The mean of each `factor`×`factor` block of `raster` (blocks cut by its right or bottom
    /// edge average the pixels they have), in Float64 and rounded to 8 bits: the reference
    /// for the server's area downsampling.
    static func boxAverage(_ raster: Raster, factor: Int) -> [UInt8] {
        let width = (raster.width + factor - 1) / factor
        let height = (raster.height + factor - 1) / factor
        var result: [UInt8] = []
        for y in 0..<height {
            for x in 0..<width {
                for channel in 0..<raster.channelCount {
                    var sum = 0.0
                    var count = 0
                    for sourceY in y * factor..<min(y * factor + factor, raster.height) {
                        for sourceX in x * factor..<min(x * factor + factor, raster.width) {
                            sum += Double((raster[sourceX, sourceY, channel] * 255).rounded())
                            count += 1
                        }
                    }
                    result.append(UInt8((sum / Double(count)).rounded()))
                }
            }
        }
        return result
    }

    /// The largest difference between two runs of samples of the same length.
    static func largestDifference(_ a: [UInt8], _ b: [UInt8]) -> Int {
        precondition(a.count == b.count, "\(a.count) samples against \(b.count)")
        return zip(a, b).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }
}
