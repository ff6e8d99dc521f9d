import Foundation
import XCTest

/// A `--values` file named for a tier (`values-tier1-edge.yaml`) gives the run its tier when no
/// `--tier` does, as a bundle's tier file is installed at the tier its name gives.
final class ValuesFileNameTierTests: XCTestCase {
    func testEdgeFileThatSaysConnectedIsCheckedAsEdge() throws {
        let folder = try temporaryFolder(self)
        try "# copied from tier 3\nglobal:\n  tier: connected\n  connectivity: external\n"
            .write(to: folder.appendingPathComponent("values-tier1-edge.yaml"), atomically: true, encoding: .utf8)
        let result = try airlock(["check", "--allow-empty", "--values", "values-tier1-edge.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        let findings = result.stdout.split(separator: "\n").filter { $0.hasPrefix("values-tier1-edge.yaml:") }
        XCTAssertEqual(findings, [
            "values-tier1-edge.yaml:2:1  HIGH  values-edge-local-registry  -  tier edge requires a local registry: set registry.type local and registry.url registry.local:5000",
            "values-tier1-edge.yaml:2:1  HIGH  values-tier-isolation  -  tier edge requires networking.egress deny-all, but it is not set (global.connectivity is \"external\")",
            "values-tier1-edge.yaml:3:3  HIGH  values-classification-consistent  -  global.classification is not set (one of unclassified, secret, top-secret)",
            "values-tier1-edge.yaml:3:9  HIGH  values-tier-known  -  global.tier is connected but the values are checked as tier edge (--tier, else the name of a values file, values-tier1-edge.yaml; for a bundle's tier values file, the tier its name gives, else the bundle manifest's tier)",
            "values-tier1-edge.yaml:4:17  HIGH  values-tier-connectivity  -  tier edge requires global.connectivity none, got \"external\"",
        ])
    }

    func testFilesNamedForTwoTiersAreAnError() throws {
        let folder = try temporaryFolder(self)
        for name in ["values-tier1-edge.yaml", "values-tier3-connected.yaml"] {
            try "global: {connectivity: none}\n".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let result = try airlock(
            ["check", "--allow-empty", "--values", "values-tier1-edge.yaml", "--values", "values-tier3-connected.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stdout)
        XCTAssertTrue(result.stdout.hasPrefix(
            "values-tier3-connected.yaml:1:1: error: values files of two tiers: values-tier1-edge.yaml is of tier edge by its name, this one of tier connected; check each tier in a run of its own\n"),
            result.stdout)
    }
}
