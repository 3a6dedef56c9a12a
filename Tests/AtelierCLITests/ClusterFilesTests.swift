import Foundation
import Network
import Pipeline
import TestSupport
import Transfer
import XCTest
import Yams

/// The cluster launchers and use-case configurations parse, agree with each other and with the
/// command-line contract (DESIGN.md §7), and the local launcher starts and stops what it should.
final class ClusterFilesTests: XCTestCase {
    private struct NotAMapping: Error { var file: String }

    private let root = Fixtures.projectRoot
    private let scripts = [
        "Cluster/local/run", "Cluster/slurm/atelier.sbatch", "Cluster/slurm/one-node", "Cluster/netns/hosts",
        "Cluster/netns/run-job",
    ]

    private func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    private func documents(_ relative: String) throws -> [[String: Any]] {
        try Yams.load_all(yaml: text(relative)).map { document in
            guard let mapping = document as? [String: Any] else {
                throw NotAMapping(file: relative)
            }
            return mapping
        }
    }

    /// `bash -n` and shellcheck (installed by Scripts/setup) find nothing in the scripts.
    func testScriptsAreExecutableAndPassBashAndShellcheck() throws {
        XCTAssertTrue(
            FileManager.default.isExecutableFile(atPath: "/usr/bin/shellcheck"), "shellcheck is missing: run Scripts/setup")
        for script in scripts {
            let path = root.appendingPathComponent(script).path
            XCTAssertTrue(FileManager.default.isExecutableFile(atPath: path), script)
            XCTAssertNoThrow(try ReferenceTool.run("/bin/bash", ["-n", path]), script)
            XCTAssertNoThrow(try ReferenceTool.run("/usr/bin/shellcheck", ["--shell=bash", path]), script)
            XCTAssertTrue(try text(script).hasPrefix("#!/usr/bin/env bash\n"), script)
        }
    }

    /// Every manifest parses, the kustomization lists exactly the manifests, and the pieces name
    /// each other consistently: the Service and the workers' endpoint, the Secret's keys and
    /// the mounted key folders, the ConfigMap's job and the coordinator's `--job`.
    func testKubernetesManifestsParseAndAgree() throws {
        let folder = "Cluster/kubernetes"
        let files = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)
            .filter { $0.hasSuffix(".yaml") }.sorted()
        var byKind: [String: [[String: Any]]] = [:]
        for file in files {
            for document in try documents("\(folder)/\(file)") {
                let kind = try XCTUnwrap(document["kind"] as? String, file)
                XCTAssertNotNil(document["apiVersion"] as? String, file)
                if kind != "Kustomization" {
                    XCTAssertNotNil((document["metadata"] as? [String: Any])?["name"] as? String, file)
                }
                byKind[kind, default: []].append(document)
            }
        }
        let kustomization = try XCTUnwrap(byKind["Kustomization"]?.first)
        XCTAssertEqual(
            (kustomization["resources"] as? [String])?.sorted(), files.filter { $0 != "kustomization.yaml" })
        XCTAssertEqual(byKind["Deployment"]?.count, 2)
        XCTAssertEqual(byKind["Service"]?.count, 1)
        XCTAssertEqual(byKind["PersistentVolumeClaim"]?.count, 1)
        XCTAssertEqual(byKind["ConfigMap"]?.count, 1)

        func deployment(_ name: String) throws -> (args: [String], spec: [String: Any]) {
            let match = try XCTUnwrap(
                byKind["Deployment"]?.first { ($0["metadata"] as? [String: Any])?["name"] as? String == name }, name)
            let pod = try XCTUnwrap(((match["spec"] as? [String: Any])?["template"] as? [String: Any])?["spec"] as? [String: Any])
            let container = try XCTUnwrap((pod["containers"] as? [[String: Any]])?.first)
            return (try XCTUnwrap(container["args"] as? [String]), pod)
        }
        let coordinator = try deployment("atelier-coordinator")
        let worker = try deployment("atelier-worker")
        XCTAssertEqual(coordinator.args.first, "coordinator")
        XCTAssertTrue(coordinator.args.contains("--resume"), "a restarted coordinator pod must resume")
        XCTAssertEqual(worker.args.first, "worker")

        let service = try XCTUnwrap(byKind["Service"]?.first)
        let serviceName = try XCTUnwrap((service["metadata"] as? [String: Any])?["name"] as? String)
        let port = try XCTUnwrap(((service["spec"] as? [String: Any])?["ports"] as? [[String: Any]])?.first?["port"] as? Int)
        XCTAssertTrue(worker.args.contains("--connect=tcp://\(serviceName):\(port)"), "\(worker.args)")
        XCTAssertTrue(coordinator.args.contains("--bind=tcp://*:\(port)"), "\(coordinator.args)")

        // Each folder a flag names is one the Secret volume provides.
        func secretPaths(_ pod: [String: Any]) -> Set<String> {
            let volumes = pod["volumes"] as? [[String: Any]] ?? []
            let items = volumes.compactMap { ($0["secret"] as? [String: Any])?["items"] as? [[String: Any]] }.joined()
            return Set(items.compactMap { $0["path"] as? String })
        }
        XCTAssertEqual(secretPaths(coordinator.spec), ["server/key", "server/key.pub", "trust/worker.pub"])
        XCTAssertEqual(secretPaths(worker.spec), ["worker/key", "worker/key.pub", "server/key.pub"])
        XCTAssertTrue(coordinator.args.contains("--keys=/etc/atelier/keys/server"))
        XCTAssertTrue(coordinator.args.contains("--trust=/etc/atelier/keys/trust"))
        XCTAssertTrue(worker.args.contains("--keys=/etc/atelier/keys/worker"))
        XCTAssertTrue(worker.args.contains("--server-key=/etc/atelier/keys/server"))

        let configMap = try XCTUnwrap(byKind["ConfigMap"]?.first)
        let jobText = try XCTUnwrap((configMap["data"] as? [String: Any])?["job.yaml"] as? String)
        let job = try XCTUnwrap(try Yams.load(yaml: jobText) as? [String: Any])
        XCTAssertTrue(Set(job.keys).isSuperset(of: ["content", "style", "output"]), "\(job.keys)")
        XCTAssertTrue(coordinator.args.contains("--job=/etc/atelier/job/job.yaml"))
    }

    /// The use-case configurations use only known keys, applied through the real settings parser
    /// (tile keys included), and their tiles are valid for VGG-16. `search: approximate` comes
    /// from another branch (the approximate search), so it is checked by name here.
    func testUseCaseConfigurationsAndTheJobExampleUseKnownKeys() throws {
        let jobKeys: Set<String> = ["content", "style", "content_seg", "style_seg", "output", "seed"]
        for file in ["Configs/gigapixel.yaml", "Configs/preview.yaml", "Configs/job.example.yaml"] {
            let mapping = try XCTUnwrap(try Yams.load(yaml: text(file)) as? [String: Any], file)
            var settings = StylizeSettings()
            for (key, value) in mapping {
                if key == "search" {
                    XCTAssertEqual(value as? String, "approximate", file)
                } else if file.hasSuffix("job.example.yaml") && jobKeys.contains(key) && key != "seed" {
                    XCTAssertNotNil(value as? String, "\(file): \(key)")
                } else {
                    XCTAssertNoThrow(try settings.set(key, to: value), "\(file): \(key)")
                }
            }
            XCTAssertNoThrow(
                try settings.tile.validate(
                    architecture: .vgg16, layers: settings.transfer.styleLayers + [settings.transfer.contentLayer]),
                file)
            if file.hasSuffix("job.example.yaml") {
                XCTAssertTrue(Set(mapping.keys).isSuperset(of: jobKeys), "\(file): \(mapping.keys)")
            }
        }
    }
}
