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

    /// One mapping of job keys and where it comes from: a job file, or a batch file's shared
    /// settings and inline jobs (`BatchFile`), which stack one over the other.
    struct Layer {
        var mapping: [String: Any]
        /// What an error names: the file, or the file and the entry.
        var source: String
        /// The folder that the layer's relative paths are taken from.
        var folder: String

        /// The mapping of the job file at `path`.
        /// - Throws: `UsageError` naming the file: unreadable, not YAML, not a mapping.
        static func file(_ path: String) throws -> Layer {
            Layer(mapping: try Configuration.mapping(file: path, what: "job file"), source: path,
                  folder: (path as NSString).deletingLastPathComponent)
        }
    }

    /// Reads `path` into a job: its files, then every configuration key on top of the defaults.
    /// - Throws: `UsageError` naming the file and the key for an unreadable file, bad YAML, a
    ///   missing `content`/`style`/`output`, a lone segmentation or lighting map, or a bad key.
    static func read(_ path: String, weights: String?, previewDir: String?) throws -> StylizeJob {
        try job(from: [try Layer.file(path)], weights: weights, previewDir: previewDir)
    }

    /// What layers of job keys add up to, before the job is made.
    struct Parts {
        /// The file keys, resolved against the folder of the layer that gave them.
        var files: [String: String] = [:]
        var settings = StylizeSettings()
        var size: Int?

        /// Adds `layer`'s keys over these (a file key replaces an earlier one; configuration keys
        /// are set in layer order, so `tile: {rounds: 2}` changes one tile key of an earlier `tile`).
        /// - Throws: `UsageError` naming the layer and the key: a bad file value, size or key.
        mutating func add(_ layer: Layer) throws {
            for key in layer.mapping.keys.sorted() {
                let value = layer.mapping[key]!
                if fileKeys.contains(key) {
                    guard let text = value as? String, !text.isEmpty else {
                        throw UsageError("\(layer.source): \(key) must be a file path, not '\(value)'")
                    }
                    files[key] = text.hasPrefix("/") || layer.folder.isEmpty
                        ? text : (layer.folder as NSString).appendingPathComponent(text)
                } else if key == "size" {
                    guard let side = value as? Int, side >= MultiScaleSchedule.minimumSide, side <= 1 << 16 else {
                        throw UsageError(
                            "\(layer.source): size must be between \(MultiScaleSchedule.minimumSide) and 65536, not '\(value)'")
                    }
                    size = side
                } else {
                    do {
                        try settings.set(key, to: value)
                    } catch let error as TransferError {
                        throw UsageError("\(layer.source): \(error)")
                    }
                }
            }
        }
    }

    /// The job that `layers` make, each added over the ones before it; errors name the layer of
    /// the key, and the last layer (the job's own) for what is missing.
    static func job(from layers: [Layer], weights: String?, previewDir: String?) throws -> StylizeJob {
        var parts = Parts()
        for layer in layers { try parts.add(layer) }
        let files = parts.files
        let source = layers.last?.source ?? "job"
        func required(_ key: String) throws -> String {
            guard let value = files[key] else { throw UsageError("\(source): the job needs '\(key)'") }
            return value
        }
        var job = StylizeJob(
            content: try required("content"),
            styles: [StyleSource(path: try required("style"), seg: files["style_seg"], light: files["style_light"])],
            contentSeg: files["content_seg"], contentLight: files["content_light"],
            output: try required("output"), size: parts.size, settings: parts.settings, weights: weights,
            previewDir: previewDir)
        job.source = source
        if (job.contentSeg == nil) != (job.styleSeg == nil) {
            throw UsageError("\(source): content_seg and style_seg go together: give both maps or neither")
        }
        if (job.contentLight == nil) != (job.styleLight == nil) {
            throw UsageError("\(source): content_light and style_light go together: give both maps or neither")
        }
        return job
    }
}
