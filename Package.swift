// swift-tools-version:6.0
import PackageDescription

/// Atelier: deep-semantic-space guided multi-scale neural style transfer (Yu et al. 2022).
/// Module layout and dependency direction follow DESIGN.md §4: C libraries are reached only
/// through their one wrapper module (Tensor → CBLAS, ImageIO → CPNG/CTIFF/CWebP/CImageShims (→ CJPEG),
/// Messaging → CZMQ).
let package = Package(
    name: "Atelier",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "atelier", targets: ["AtelierCLI"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // SwiftNIO for the viewer's HTTP server. (Hummingbird does not build beside this package
        // on Linux: its `#if canImport(Network)`, meant for Apple's framework, finds our Network.)
        .package(url: "https://github.com/apple/swift-nio", from: "2.81.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // SHA-256 of job hashes and stored tile results (BoringSSL's, in place of one written here).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries from Debian (Scripts/setup installs them).
        .systemLibrary(
            name: "CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CZMQ", pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(
            name: "CPNG", pkgConfig: "libpng16",
            providers: [.apt(["libpng-dev"])]),
        .systemLibrary(
            name: "CTIFF", pkgConfig: "libtiff-4",
            providers: [.apt(["libtiff-dev"])]),
        .systemLibrary(
            name: "CJPEG", pkgConfig: "libjpeg",
            providers: [.apt(["libjpeg62-turbo-dev"])]),
        .systemLibrary(
            name: "CWebP", pkgConfig: "libwebp",
            providers: [.apt(["libwebp-dev"])]),
        // libpng's and libjpeg's setjmp/longjmp error handling must stay in C (STYLE.md §3).
        .target(name: "CImageShims", dependencies: ["CPNG", "CJPEG"]),

        .target(name: "Tensor", dependencies: ["CBLAS"]),
        .target(name: "ImageIO", dependencies: ["CPNG", "CTIFF", "CWebP", "CImageShims"]),
        .target(name: "Network", dependencies: ["Tensor"]),
        .target(name: "Semantics", dependencies: ["Tensor", "ImageIO"]),
        .target(name: "Transfer", dependencies: ["Tensor", "ImageIO", "Network", "Semantics"]),
        .target(name: "Evaluation", dependencies: ["Tensor", "ImageIO", "Network", "Semantics"]),
        .target(name: "Messaging", dependencies: ["CZMQ"]),
        .target(
            name: "Viewer",
            dependencies: [
                "ImageIO", "Tensor", "Pipeline",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]),
        .target(
            name: "Pipeline",
            dependencies: [
                "Tensor", "ImageIO", "Network", "Semantics", "Transfer", "Messaging",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Pipeline"),
        .executableTarget(
            name: "AtelierCLI",
            dependencies: [
                "Tensor", "ImageIO", "Network", "Semantics", "Transfer", "Messaging", "Pipeline", "Evaluation",
                "Viewer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]),

        .target(name: "TestSupport", dependencies: ["Tensor", "Network"], path: "Tests/TestSupport"),
        .testTarget(name: "TensorTests", dependencies: ["Tensor", "Network", "TestSupport"]),
        .testTarget(name: "ImageIOTests", dependencies: ["ImageIO", "Tensor", "TestSupport"]),
        .testTarget(name: "NetworkTests", dependencies: ["Network", "ImageIO", "TestSupport"]),
        .testTarget(name: "SemanticsTests", dependencies: ["Semantics", "ImageIO", "Tensor", "TestSupport"]),
        .testTarget(
            name: "TransferTests",
            dependencies: ["Transfer", "Semantics", "Network", "ImageIO", "Tensor", "Evaluation", "TestSupport"]),
        .testTarget(
            name: "EvaluationTests",
            dependencies: ["Evaluation", "Semantics", "Network", "ImageIO", "Tensor", "TestSupport"]),
        .testTarget(name: "MessagingTests", dependencies: ["Messaging", "TestSupport"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Transfer", "Semantics", "Network", "ImageIO", "Tensor", "Messaging", "TestSupport",
            ]),
        .testTarget(
            name: "ViewerTests",
            dependencies: [
                "Viewer", "ImageIO", "TestSupport", "Pipeline", "Tensor", "Network", "Transfer",
            ]),
        .testTarget(
            name: "AtelierCLITests",
            dependencies: [
                "AtelierCLI", "Evaluation", "ImageIO", "Messaging", "Pipeline", "Tensor", "TestSupport",
                .product(name: "Yams", package: "Yams"),
            ]),
    ]
)
