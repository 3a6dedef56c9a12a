import Foundation

/// The manifest as JSON on disk: sorted keys and indentation so that a person can read and diff
/// it; decoding checks the version first, then every field, so that a damaged or foreign file is
/// a one-line error naming it.
extension RunManifest {
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain integers, strings and arrays cannot fail.
        return Array(try! encoder.encode(self)) + [0x0A]
    }

    /// Parses and validates a manifest read from `path`.
    /// - Throws: `.corrupt` (not JSON, missing or impossible fields), `.unsupported` (another version).
    public init(decoding bytes: [UInt8], path: String) throws {
        struct Versioned: Decodable { var formatVersion: Int }
        let data = Data(bytes)
        let decoder = JSONDecoder()
        guard let version = try? decoder.decode(Versioned.self, from: data).formatVersion else {
            throw PipelineStoreError.corrupt(path: path, reason: "not a run manifest (no formatVersion in JSON)")
        }
        guard version != 1 else {
            throw PipelineStoreError.unsupported(
                path: path,
                reason: "manifest format version 1, made by an earlier atelier whose job hash this build does not"
                    + " compute; start the job again in a new --run-dir")
        }
        guard version == Self.currentFormatVersion else {
            throw PipelineStoreError.unsupported(
                path: path, reason: "manifest format version \(version) (this build reads \(Self.currentFormatVersion))")
        }
        do {
            self = try decoder.decode(RunManifest.self, from: data)
        } catch {
            throw PipelineStoreError.corrupt(path: path, reason: "not a run manifest (\(Self.describe(error)))")
        }
        if let problem = problem {
            throw PipelineStoreError.corrupt(path: path, reason: problem)
        }
    }

    /// What is impossible in these fields, or nil (checked on reading and before writing).
    var problem: String? {
        let hexDigits = Set("0123456789abcdef")
        guard jobHash.count == 64, jobHash.allSatisfy(hexDigits.contains) else {
            return "jobHash is not 64 lowercase hexadecimal digits"
        }
        for progress in levels {
            guard progress.level >= 0, progress.width > 0, progress.height > 0, progress.rounds > 0,
                (0...progress.rounds).contains(progress.roundsCompleted)
            else { return "impossible progress for level \(progress.level)" }
            guard !progress.canvas.isEmpty, !progress.canvas.contains("/") else {
                return "level \(progress.level)'s canvas '\(progress.canvas)' is not a file name in the run directory"
            }
        }
        guard completedTiles.allSatisfy({ $0.level >= 0 && $0.round >= 0 && $0.tile >= 0 }) else {
            return "negative tile key"
        }
        return nil
    }

    /// A one-line account of a decoding error (which key, what was wrong).
    private static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func at(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(([at(context)] + [key.stringValue]).filter { !$0.isEmpty }.joined(separator: "."))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "bad value at \(at(context).isEmpty ? "top level" : at(context))"
        @unknown default:
            return "\(error)"
        }
    }
}
