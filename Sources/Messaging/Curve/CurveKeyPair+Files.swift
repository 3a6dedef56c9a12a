import Foundation
import Glibc

/// Key files: a folder holds `key.pub` (the public key, mode 0644, to copy to the peers that
/// must trust this one) and `key` (the secret key, mode 0600, never to leave the machine).
/// Each file is one line: the key's 40 Z85 characters.
extension CurveKeyPair {
    public static let publicKeyFileName = "key.pub"
    public static let secretKeyFileName = "key"

    /// `directory/key.pub`, as the error messages and the command line spell it.
    public static func publicKeyPath(in directory: String) -> String { KeyFiles.path(directory, publicKeyFileName) }

    /// `directory/key`.
    public static func secretKeyPath(in directory: String) -> String { KeyFiles.path(directory, secretKeyFileName) }

    /// Writes `key` then `key.pub` into `directory`, creating it if needed. Each file is written
    /// under a temporary name with its final mode from the start and renamed into place, so the
    /// secret key is never readable by others, not even for a moment.
    /// - Parameter replacing: replace existing key files; without it an existing file is left
    ///   alone and reported.
    /// - Throws: `MessagingError.keyExists` naming the file that would be replaced, `.keyWrite`
    ///   if the folder or a file cannot be written.
    public func write(to directory: String, replacing: Bool = false) throws {
        try KeyFiles.makeFolder(directory)
        let secretPath = Self.secretKeyPath(in: directory)
        let publicPath = Self.publicKeyPath(in: directory)
        if !replacing, let existing = [secretPath, publicPath].first(where: KeyFiles.exists) {
            throw MessagingError.keyExists(path: existing)
        }
        try KeyFiles.write(secretKey.z85 + "\n", to: secretPath, mode: 0o600)
        try KeyFiles.write(publicKey.z85 + "\n", to: publicPath, mode: 0o644)
    }

    /// Reads the pair that `write(to:)` wrote into `directory`, and checks that the public key is
    /// the one the secret key makes. As SSH does, a secret key that the group or others may read or
    /// write is refused: it may already have leaked, and loading it silently hides that.
    /// - Throws: `MessagingError.keyFile` naming the missing, short, non-Z85, shared or mismatched file.
    public static func read(from directory: String) throws -> CurveKeyPair {
        let publicPath = publicKeyPath(in: directory)
        let secretPath = secretKeyPath(in: directory)
        let secret = try CurveKey(z85Text: KeyFiles.text(of: secretPath, secret: true), path: secretPath)
        let pair = try CurveKeyPair(secretKey: secret)
        guard try CurveKey(contentsOf: publicPath) == pair.publicKey else {
            throw MessagingError.keyFile(path: publicPath, reason: "is not the public key of \(secretPath)")
        }
        return pair
    }
}

extension CurveKey {
    /// Reads a key file: one 40-character Z85 key, surrounding white space ignored.
    /// - Throws: `MessagingError.keyFile` naming `path`: missing, not a regular file, too long,
    ///   too short, or not Z85.
    public init(contentsOf path: String) throws {
        try self.init(z85Text: KeyFiles.text(of: path), path: path)
    }

    /// A key from the text of the key file at `path`.
    init(z85Text text: String, path: String) throws {
        if let problem = Self.problem(withZ85: text) { throw MessagingError.keyFile(path: path, reason: problem) }
        try self.init(z85: text)
    }

    /// The trusted public keys of a trust folder: every `*.pub` file in `directory`, keyed by key,
    /// with the file's name without `.pub` (a name for logs: `worker-07`).
    /// - Throws: `MessagingError.keyFile` if the folder is missing or holds no `*.pub` file, or
    ///   naming the first bad key file.
    public static func trusted(in directory: String) throws -> [CurveKey: String] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".pub") }.sorted()
        } catch {
            throw MessagingError.keyFile(path: directory, reason: "cannot list the trust folder (missing or unreadable)")
        }
        guard !names.isEmpty else {
            throw MessagingError.keyFile(path: directory, reason: "the trust folder holds no *.pub key file")
        }
        var keys: [CurveKey: String] = [:]
        for name in names {
            keys[try CurveKey(contentsOf: KeyFiles.path(directory, name))] = String(name.dropLast(".pub".count))
        }
        return keys
    }
}

/// The file-system side of key files.
enum KeyFiles {
    /// A key file is one line of 40 characters; anything much larger is not one (and reading,
    /// say, a device or a huge file by mistake must not hang or exhaust memory).
    static let largestFile = 1024

    static func path(_ directory: String, _ name: String) -> String {
        (directory as NSString).appendingPathComponent(name)
    }

    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// The permission bits a secret key file may not have: any access by the group or others.
    static let sharedAccess: mode_t = 0o077

    /// The text of the key file at `path`, without surrounding white space.
    /// - Parameter secret: the file holds a secret key, so it must be private to its owner.
    static func text(of path: String, secret: Bool = false) throws -> String {
        var status = stat()
        guard stat(path, &status) == 0 else {
            throw MessagingError.keyFile(path: path, reason: "cannot read the key file: \(String(cString: strerror(errno)))")
        }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw MessagingError.keyFile(path: path, reason: "is not a regular file")
        }
        if secret && status.st_mode & sharedAccess != 0 {
            let mode = "0" + String(status.st_mode & 0o777, radix: 8)
            throw MessagingError.keyFile(
                path: path,
                reason: "the secret key is accessible by others (mode \(mode)); run `chmod 600 \(path)`")
        }
        guard status.st_size <= largestFile else {
            throw MessagingError.keyFile(
                path: path, reason: "is \(status.st_size) bytes, too large for a key file (one 40-character line)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MessagingError.keyFile(path: path, reason: "cannot read the key file")
        }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Creates `directory` (and its parents) unless it exists.
    static func makeFolder(_ directory: String) throws {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw MessagingError.keyWrite(path: directory, reason: "is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MessagingError.keyWrite(path: directory, reason: "cannot create the folder")
        }
    }

    /// Writes `text` to `path` with `mode`: created under a temporary name with that mode (the
    /// umask can only narrow it, so it is set again), synced, then renamed over `path`.
    static func write(_ text: String, to path: String, mode: mode_t) throws {
        func failure(_ what: String) -> MessagingError {
            .keyWrite(path: path, reason: "\(what): \(String(cString: strerror(errno)))")
        }
        let temporary = path + ".partial"
        unlink(temporary)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw failure("cannot create") }
        var closed = false
        defer {
            if !closed { close(descriptor) }
            unlink(temporary)  // after a successful rename there is nothing left to remove
        }
        guard fchmod(descriptor, mode) == 0 else { throw failure("cannot set the mode") }
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw failure("cannot write") }
            written += count
        }
        guard fsync(descriptor) == 0 else { throw failure("cannot sync") }
        closed = true
        guard close(descriptor) == 0 else { throw failure("cannot close") }
        guard rename(temporary, path) == 0 else { throw failure("cannot rename into place") }
    }
}
