import Foundation
import Pipeline
import Transfer
import Yams

/// A job file for `atelier coordinator --job JOB.yaml` (`Configs/job.example.yaml` documents
/// it): the inputs, the output, the seed and, at the top level, any configuration key of
/// `Configs/default.yaml`. Relative paths are taken from the folder of the job file.
enum JobFile {
    /// The keys that name the job's files, as `atelier stylize`'s flags do.
    static let fileKeys = ["content", "style", "content_seg", "style_seg", "content_light", "style_light", "output"]

    /// Reads `path` into a job: its files, then every configuration key on top of the defaults.
    /// - Throws: `UsageError` naming the file and the key for an unreadable file, bad YAML, a
    ///   missing `content`/`style`/`output`, a lone segmentation or lighting map, or a bad key.
    static func read(_ path: String, weights: String?, previewDir: String?) throws -> StylizeJob {
        let mapping = try Configuration.mapping(file: path, what: "job file")
        let folder = (path as NSString).deletingLastPathComponent
        func file(_ key: String) throws -> String? {
            guard let value = mapping[key] else { return nil }
            guard let text = value as? String, !text.isEmpty else {
                throw UsageError("\(path): \(key) must be a file path, not '\(value)'")
            }
            return text.hasPrefix("/") || folder.isEmpty ? text : (folder as NSString).appendingPathComponent(text)
        }
        func required(_ key: String) throws -> String {
            guard let value = try file(key) else { throw UsageError("\(path): the job needs '\(key)'") }
            return value
        }
        var settings = StylizeSettings()
        var size: Int?
        for key in mapping.keys.sorted() where !fileKeys.contains(key) {
            let value = mapping[key]!
            if key == "size" {
                guard let side = value as? Int, side >= MultiScaleSchedule.minimumSide, side <= 1 << 16 else {
                    throw UsageError(
                        "\(path): size must be between \(MultiScaleSchedule.minimumSide) and 65536, not '\(value)'")
                }
                size = side
                continue
            }
            do {
                try settings.set(key, to: value)
            } catch let error as TransferError {
                throw UsageError("\(path): \(error)")
            }
        }
        let job = StylizeJob(
            content: try required("content"), style: try required("style"), contentSeg: try file("content_seg"),
            styleSeg: try file("style_seg"), contentLight: try file("content_light"), styleLight: try file("style_light"),
            output: try required("output"), size: size, settings: settings, weights: weights, previewDir: previewDir)
        if (job.contentSeg == nil) != (job.styleSeg == nil) {
            throw UsageError("\(path): content_seg and style_seg go together: give both maps or neither")
        }
        if (job.contentLight == nil) != (job.styleLight == nil) {
            throw UsageError("\(path): content_light and style_light go together: give both maps or neither")
        }
        return job
    }
}
