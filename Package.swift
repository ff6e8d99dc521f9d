// swift-tools-version:6.0
import PackageDescription

/// Release builds leave out the runtime exclusivity checks in the evaluator's hot paths (about 2%
/// of evaluation: a check on every access to an activation's or context's stored arrays). Debug
/// builds, and so the tests, keep them; the compiler still proves exclusivity statically.
let releaseSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "airlock",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "airlock", targets: ["airlock"]),
        .executable(name: "airlock-bench", targets: ["airlock-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1", providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CPCRE2", pkgConfig: "libpcre2-8", providers: [.apt(["libpcre2-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive", providers: [.apt(["libarchive-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CMalloc"),

        .target(name: "YAMLSource", dependencies: ["CYAML"]),
        .target(name: "CEL", dependencies: ["CPCRE2"], swiftSettings: releaseSettings),
        .target(
            name: "AirlockCore",
            dependencies: [
                "YAMLSource", "CEL", "CArchive", "CZlib",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: releaseSettings
        ),
        .target(name: "AirlockReports", dependencies: ["AirlockCore"]),
        .executableTarget(
            name: "airlock",
            dependencies: [
                "AirlockCore", "AirlockReports", "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "airlock-bench", dependencies: [
            "AirlockCore", "AirlockReports", "CYAML", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "YAMLSourceTests", dependencies: ["YAMLSource"]),
        .testTarget(name: "CELTests", dependencies: ["CEL"]),
        .testTarget(name: "AirlockCoreTests", dependencies: ["AirlockCore"]),
        .testTarget(name: "AirlockReportsTests", dependencies: ["AirlockReports", "AirlockCore", "CLibXML2"], exclude: ["Golden"]),
        .testTarget(name: "AirlockCLITests", dependencies: ["airlock", "AirlockCore", .product(name: "Crypto", package: "swift-crypto")]),
    ]
)
