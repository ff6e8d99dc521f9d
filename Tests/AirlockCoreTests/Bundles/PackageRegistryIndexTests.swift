import XCTest
@testable import AirlockCore

final class PackageRegistryIndexTests: XCTestCase {
    func testLoadsTheRegistryFolder() throws {
        let index = PackageRegistryIndex.load(folder: TestData.bundles.appendingPathComponent("registry").path)
        XCTAssertEqual(index.diagnostics, [])
        XCTAssertEqual(index.names, ["communication-patterns", "core-workflow", "customer-service"])
        XCTAssertEqual(index.versions(of: "customer-service").map(\.version), ["1.3.0-rc.1", "1.2.0", "1.0.0"])
        XCTAssertEqual(index.latest(of: "customer-service")?.version, "1.2.0")
        XCTAssertEqual(index.latest(of: "customer-service", includePrerelease: true)?.version, "1.3.0-rc.1")
        XCTAssertEqual(index.versions(of: "core-workflow").first?.digest?.hasPrefix("sha256:"), true)
        XCTAssertEqual(index.versions(of: "customer-service").last?.created, "2024-11-02T09:00:00Z")
        XCTAssertEqual(index.versions(of: "customer-service").last?.location.line, 3)
        XCTAssertEqual(index.resolve("core-workflow", range: try VersionRange("^2.0.0"))?.version, "2.1.0")
        XCTAssertNil(index.resolve("communication-patterns", range: try VersionRange("^1.6.0")))
        XCTAssertEqual(index.versions(of: "unknown"), [])
    }

    func testTopLevelMapWithoutPackagesKey() {
        let index = PackageRegistryIndex.parse(Array("demo:\n  - version: 0.1.0\n  - version: not-semver\n  - version: 0.1.0\n".utf8), file: "index.yaml")
        // A version with no place in SemVer's order is an error at it, and still listed (last); a
        // version listed twice is an error at its second listing.
        XCTAssertEqual(index.diagnostics.map(\.description), [
            "index.yaml:3:14: \"demo\" version \"not-semver\" is not a semantic version (MAJOR.MINOR.PATCH): the registry's versions cannot be ordered",
            "index.yaml:4:14: \"demo\" version \"0.1.0\" is listed twice (first at line 2): which one was published is not known",
        ])
        XCTAssertEqual(index.versions(of: "demo").map(\.version), ["0.1.0", "0.1.0", "not-semver"])
        XCTAssertNil(index.versions(of: "demo").last?.semanticVersion)
    }

    func testMalformedIndexesAreDiagnosticsWithPositions() {
        let index = PackageRegistryIndex.parse(Array("packages:\n  a: 1.0.0\n  b:\n    - digest: x\n".utf8), file: "index.yaml")
        XCTAssertEqual(index.diagnostics.map { $0.location?.line }, [2, 4])
        XCTAssertEqual(PackageRegistryIndex.parse(Array("- a\n".utf8), file: "index.yaml").diagnostics.count, 1)
        XCTAssertEqual(PackageRegistryIndex.load(folder: "/nonexistent").diagnostics.count, 1)
    }
}
