import Foundation
import ImageIO
import Network
import Semantics
import Tensor
import TestSupport
import Transfer

/// One `MultiScaleStylizer` run as `atelier stylize` makes it (the same inputs from the same deep
/// semantic space), for the tests of the method's claims.
enum StylizerRun {
    /// Set to a folder to keep each output as `<name>.png` there, to look at.
    static let keepVariable = "ATELIER_TEST_OUTPUTS"

    /// Stylises `content` (at its own size) with `style`, guided by `space` in `dss` mode, and
    /// prints one line per level (loss, terms, time) so that a test's log says what it cost.
    /// - Parameter name: the output's name in the log and when outputs are kept.
    static func run(
        content: Tensor, style: Tensor, space: DeepSemanticSpace, settings: TransferSettings, vgg: VGG, name: String,
        colourFinish: Bool = false
    ) throws -> Tensor {
        let inputs = MultiScaleStylizer.Inputs(content: content, style: style, space: space, settings: settings)
        let output = try MultiScaleStylizer(vgg: vgg, settings: settings)
            .run(inputs, width: content.width, height: content.height) { report, _ in
                print(
                    String(
                        format: "%@: level %d/%d %dx%d, %d iterations (%d evaluations), loss %.4g -> %.4g, %.1f s",
                        name, report.index + 1, report.count, report.width, report.height, report.iterations,
                        report.evaluations, report.lossTrace.first!, report.lossTrace.last!, report.seconds))
            }
        let finished = colourFinish ? inputs.colourFinish(output, settings: settings) : output
        if let folder = ProcessInfo.processInfo.environment[keepVariable], !folder.isEmpty {
            try PNGFile.write(Raster.rgb(finished), to: folder + "/" + name + ".png")
        }
        return finished
    }
}
