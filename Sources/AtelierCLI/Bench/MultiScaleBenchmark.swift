import Foundation
import ImageIO
import Network
import Tensor
import Transfer

/// `atelier bench multiscale`: one level at the output size against the multi-scale schedule on
/// the same content, style and settings, as time to reach the single-level run's final loss
/// (DESIGN.md §8).
///
/// Both runs are judged by one referee: a separate objective at the output size with the exact
/// search (its own network, so the runs' cached forward passes are untouched), evaluated at the
/// single-level result and at the multi-scale image after each of its finest-level iterations.
/// The referee's time is not counted.
struct MultiScaleBenchmark {
    struct Report: Codable {
        var threads: Int
        var width: Int
        var height: Int
        var search: String
        var single_iterations: Int
        var single_seconds: Double
        /// The referee's loss at the single-level result.
        var single_loss: Double
        var levels: [Int]
        var level_iterations: [Int]
        var multiscale_seconds: Double
        var multiscale_final_loss: Double
        /// Multi-scale seconds until the referee's loss first reached `single_loss` (nan if never).
        var multiscale_seconds_to_single_loss: Double
        /// `multiscale_seconds_to_single_loss` over `single_seconds`.
        var ratio: Double
        /// The other way round: seconds until the single level's loss first reached the multi-scale
        /// run's final loss (nan if never), and the multi-scale seconds over those.
        var single_seconds_to_multiscale_loss: Double
        var equal_loss_ratio: Double
        /// (seconds since the single-level start, referee loss) after each of its iterations.
        var single_trace: [[Double]]
        /// (seconds since the multi-scale start, referee loss) after each finest-level iteration.
        var finest_trace: [[Double]]
    }

    var inputs: MultiScaleStylizer.Inputs
    var width: Int
    var height: Int
    var settings: TransferSettings
    var singleIterations: Int
    var vgg: VGG
    var refereeNetwork: VGG
    var log: (String) -> Void

    func run() throws -> Report {
        let referee = try self.referee()
        let gradient = Tensor(channels: 3, height: height, width: width)

        var single = settings
        single.coarseSize = max(width, height)
        single.iterations = [singleIterations]
        let (singleOutput, singleSeconds, singleTrace) = try refereed(settings: single, by: referee, gradient: gradient)
        let singleLoss = try referee.evaluate(singleOutput, gradient: gradient, searching: true)
        log(String(format: "single level %dx%d, %d iterations: %.1f s, loss %.5g", width, height, singleIterations,
                   singleSeconds, singleLoss))

        let schedule = MultiScaleSchedule(width: width, height: height, settings: settings)
        let (output, multiSeconds, trace) = try refereed(settings: settings, by: referee, gradient: gradient)
        let finalLoss = try trace.last?[1] ?? referee.evaluate(output, gradient: gradient, searching: true)
        let reached = trace.first { $0[1] <= singleLoss }?[0] ?? .nan
        let singleReached = singleTrace.first { $0[1] <= finalLoss }?[0] ?? .nan
        log(String(format: "multi-scale: %.1f s, loss %.5g; reached the single-level loss after %.1f s (ratio %.3f); "
                   + "the single level reached the multi-scale loss after %.1f s (ratio %.3f)",
                   multiSeconds, finalLoss, reached, reached / singleSeconds, singleReached, multiSeconds / singleReached))
        return Report(
            threads: Engine.threads, width: width, height: height, search: settings.search.rawValue,
            single_iterations: singleIterations, single_seconds: singleSeconds, single_loss: singleLoss,
            levels: schedule.levels.map { max($0.width, $0.height) }, level_iterations: schedule.levels.map(\.iterations),
            multiscale_seconds: multiSeconds, multiscale_final_loss: finalLoss,
            multiscale_seconds_to_single_loss: reached, ratio: reached / singleSeconds,
            single_seconds_to_multiscale_loss: singleReached, equal_loss_ratio: multiSeconds / singleReached,
            single_trace: singleTrace, finest_trace: trace)
    }

    /// Runs the stylizer with `settings`, and after each iteration of its finest level evaluates
    /// the referee off the clock. Returns the output, the seconds on the clock and the trace of
    /// (seconds so far, referee loss).
    private func refereed(settings: TransferSettings, by referee: LevelObjective, gradient: Tensor) throws
        -> (output: Tensor, seconds: Double, trace: [[Double]])
    {
        let finest = MultiScaleSchedule(width: width, height: height, settings: settings).levels.count - 1
        var refereeNanoseconds: UInt64 = 0
        var trace: [[Double]] = []
        let start = DispatchTime.now().uptimeNanoseconds
        let output = try MultiScaleStylizer(vgg: vgg, settings: settings).run(
            inputs, width: width, height: height,
            levelFinished: { report, _ in
                self.log(String(format: "level %d/%d %dx%d: %d iterations", report.index + 1, report.count,
                                report.width, report.height, report.iterations))
            },
            iterationFinished: { level, _, _, image in
                guard level == finest else { return }
                let refereeStart = DispatchTime.now().uptimeNanoseconds
                let elapsed = Double(refereeStart - start - refereeNanoseconds) / 1e9
                let loss = try referee.evaluate(image, gradient: gradient, searching: true)
                trace.append([elapsed, loss])
                refereeNanoseconds += DispatchTime.now().uptimeNanoseconds - refereeStart
            })
        return (output, Double(DispatchTime.now().uptimeNanoseconds - start - refereeNanoseconds) / 1e9, trace)
    }

    /// The output-size objective with the exact search, on its own network.
    private func referee() throws -> LevelObjective {
        var exact = settings
        exact.search = .exact
        exact.coarseSize = max(width, height)
        let level = MultiScaleSchedule(width: width, height: height, settings: exact).levels.last!
        let (content, contentSemantics) = MultiScaleStylizer.content(of: inputs, at: level, settings: exact)
        let (style, styleSemantics) = MultiScaleStylizer.style(
            of: inputs, at: level, outputWidth: width, outputHeight: height, settings: exact)
        let bank = try StyleBank(
            vgg: refereeNetwork, settings: exact, style: style, styleSemantics: styleSemantics,
            semanticWeights: exact.mode == .dss ? inputs.semanticWeights : [],
            segmentationGroup: exact.mode == .dss ? inputs.segmentationGroup : nil)
        return try LevelObjective(
            vgg: refereeNetwork, settings: exact, style: bank, content: content, contentSemantics: contentSemantics)
    }
}

extension MultiScaleBenchmark {
    /// Several whole runs: the losses are the same every run (seeded), the times are not, so the
    /// ratios are reported as min / median / max.
    struct Summary: Codable {
        /// Over the runs whose loss was reached (`reached` of them); nan when none was.
        struct Spread: Codable {
            var min: Double
            var median: Double
            var max: Double
            var reached: Int

            init(_ values: [Double]) {
                let timing = Timing(seconds: values.filter(\.isFinite))
                (min, median, max, reached) = (timing.min, timing.median, timing.max, timing.seconds.count)
            }
        }

        var runs: [Report]
        var ratio: Spread
        var equal_loss_ratio: Spread

        init(runs: [Report]) {
            self.runs = runs
            ratio = Spread(runs.map(\.ratio))
            equal_loss_ratio = Spread(runs.map(\.equal_loss_ratio))
        }
    }
}
