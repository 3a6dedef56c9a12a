import ArgumentParser
import Messaging

/// `atelier keys generate --out DIR`: the CurveZMQ key pair of a coordinator or a worker
/// (DESIGN.md §3). The coordinator trusts the workers whose `key.pub` files are in its trust
/// folder; each worker needs the coordinator's `key.pub`.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CurveZMQ key pairs for the coordinator and the workers.",
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a new key pair: key.pub (public, 0644) and key (secret, 0600).")

        @Option(help: "The folder to write key and key.pub into (created if needed).")
        var out: String

        @Flag(help: "Replace an existing key pair in the folder.")
        var force = false

        func run() throws {
            let pair = try CurveKeyPair.generate()
            do {
                try pair.write(to: out, replacing: force)
            } catch MessagingError.keyExists(let path) {
                throw UsageError("\(path) already exists; use --force to replace it")
            }
            print("public key: \(pair.publicKey.z85)")
            print("wrote \(CurveKeyPair.publicKeyPath(in: out)) (public: copy it to the peers that must trust this one)")
            print("wrote \(CurveKeyPair.secretKeyPath(in: out)) (secret, mode 0600: keep it on this machine)")
        }
    }
}
