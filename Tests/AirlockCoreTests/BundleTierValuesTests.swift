@testable import AirlockCore
import CEL
import XCTest
import YAMLSource

/// How a bundle's tier values files are merged and which tier they are checked as.
final class BundleTierValuesTests: XCTestCase {
    private func file(_ path: String, _ text: String) throws -> BundleValuesFile {
        let document = try XCTUnwrap(YAMLLoader().load(Array(text.utf8), file: path).documents.first)
        return BundleValuesFile(file: path, root: document.root)
    }

    /// `helm install charts/x.tgz -f values/values-tier1-edge.yaml` starts from the chart's
    /// defaults: a tier file outside the chart is merged over them (an external model provider in
    /// the chart's values.yaml was never checked), and it is checked as the tier its name gives,
    /// whatever its global.tier says.
    func testATierFileOutsideTheChartIsMergedOverTheChartDefaultsAndCheckedAsItsNamedTier() throws {
        let merged = BundleTierValues.merge([
            try file("charts/ai-platform-1.2.0.tgz!ai-platform/values.yaml", "models: {embedding: {provider: openai}}\nglobal: {tier: edge}\n"),
            try file("charts/ai-platform-1.2.0.tgz!ai-platform/templates/values.yaml", "ignored: true\n"),
            try file("values/values-tier1-edge.yaml", "global: {tier: connected}\n"),
            try file("values/values-tenants.yaml", "tenants: [alpha]\n"),
        ])
        XCTAssertEqual(merged.map(\.mergedFiles), [[
            "charts/ai-platform-1.2.0.tgz!ai-platform/values.yaml", "values/values-tier1-edge.yaml", "values/values-tenants.yaml",
        ]])
        XCTAssertEqual(text(at: ["models", "embedding", "provider"], in: merged), "openai")
        XCTAssertEqual(merged.first?.values.declaredTier, "connected")
        XCTAssertEqual(merged.first?.tier(bundleTier: "datacenter"), "edge")
    }

    /// A tier file in a chart starts from that chart's values.yaml; with two charts a tier file
    /// outside them is merged over each in turn (it may be installed with either); a name that
    /// gives no tier leaves the bundle's tier, else global.tier.
    func testATierFileInAChartUsesItsOwnChartAndANameWithoutATierItsGlobalTier() throws {
        let merged = BundleTierValues.merge([
            try file("charts/a.tgz!a/values.yaml", "x: 1\n"),
            try file("charts/a.tgz!a/values-tier2-datacenter.yaml", "global: {tier: datacenter}\n"),
            try file("charts/b.tgz!b/values.yaml", "y: 1\n"),
            try file("values/values-tier-custom.yaml", "global: {tier: connected}\n"),
        ])
        XCTAssertEqual(merged.map(\.mergedFiles), [
            ["charts/a.tgz!a/values.yaml", "charts/a.tgz!a/values-tier2-datacenter.yaml"],
            ["charts/a.tgz!a/values.yaml", "values/values-tier-custom.yaml"],
            ["charts/b.tgz!b/values.yaml", "values/values-tier-custom.yaml"],
        ])
        XCTAssertEqual(merged.map { $0.tier(bundleTier: nil) }, ["datacenter", "connected", "connected"])
        XCTAssertEqual(merged.map { $0.tier(bundleTier: "edge") }, ["datacenter", "edge", "edge"], "a name without a tier: the bundle's")
    }

    /// `helm install x.tgz -f ci/values-tier1-edge.yaml` starts from the chart's values.yaml too: a
    /// tier file in a folder of the chart (charts keep values files in `ci/`) is merged over the
    /// values.yaml at the chart's top, not only over one beside it (the chart's external fallback
    /// model was never checked). A subchart folder's tier file starts from that subchart's.
    func testATierFileInAFolderOfAChartStartsFromThatChartsDefaults() throws {
        let merged = BundleTierValues.merge([
            try file("charts/x.tgz!x/values.yaml", "models: {fallback: {provider: openai}}\n"),
            try file("charts/x.tgz!x/ci/values-tier1-edge.yaml", "global: {tier: edge}\n"),
            try file("charts/x.tgz!x/charts/db/values.yaml", "y: 1\n"),
            try file("charts/x.tgz!x/charts/db/ci/values-tier1-edge.yaml", "global: {tier: edge}\n"),
        ])
        XCTAssertEqual(merged.map(\.mergedFiles), [
            ["charts/x.tgz!x/values.yaml", "charts/x.tgz!x/ci/values-tier1-edge.yaml"],
            ["charts/x.tgz!x/charts/db/values.yaml", "charts/x.tgz!x/charts/db/ci/values-tier1-edge.yaml"],
        ])
        XCTAssertEqual(text(at: ["models", "fallback", "provider"], in: merged), "openai")
    }

    /// Helm loads no values.yaml of a chart but the one at its top: one beside a tier file in a
    /// folder of the chart (`ci/values.yaml`) is not merged. It was, so its `deny-all` hid the
    /// chart's default `allow-all`, which `helm install x.tgz -f ci/values-tier1-edge.yaml`
    /// installs, and the edge rules passed.
    func testAValuesFileBesideATierFileInsideAChartIsNotMerged() throws {
        let merged = BundleTierValues.merge([
            try file("charts/x.tgz!x/values.yaml", "networking: {egress: allow-all}\n"),
            try file("charts/x.tgz!x/ci/values.yaml", "networking: {egress: deny-all}\n"),
            try file("charts/x.tgz!x/ci/values-tier1-edge.yaml", "global: {tier: edge}\n"),
            try file("charts/x.tgz!x/ci/values-tenants.yaml", "tenants: []\n"),
        ])
        XCTAssertEqual(merged.map(\.mergedFiles), [[
            "charts/x.tgz!x/values.yaml", "charts/x.tgz!x/ci/values-tier1-edge.yaml", "charts/x.tgz!x/ci/values-tenants.yaml",
        ]])
        XCTAssertEqual(text(at: ["networking", "egress"], in: merged), "allow-all")
    }

    /// A top-level key no file sets (networking, in a tier file that leaves it to nobody) is
    /// looked for in the tier file, the one under check: it was placed at the values-tenants.yaml
    /// merged after it (`values-tenants.yaml:2:1: ... networking.egress ... is not set`).
    func testAKeyNoFileSetsIsPlacedAtTheTierFile() throws {
        let merged = BundleTierValues.merge([
            try file("charts/x.tgz!x/values.yaml", "image: x\n"),
            try file("charts/x.tgz!x/values-tier1-edge.yaml", "\n\nglobal: {tier: edge}\n"),
            try file("charts/x.tgz!x/values-tenants.yaml", "# tenants\ntenants: []\n"),
        ])
        let top = try XCTUnwrap(merged.first?.values.root.position)
        XCTAssertEqual("\(top.file):\(top.line):\(top.column)", "charts/x.tgz!x/values-tier1-edge.yaml:3:1")
    }

    /// A tier file the archive holds twice (a duplicate-path issue) is checked once, as `tar -x`
    /// writes it: the last copy (the first was checked twice, so the cloud model of the copy
    /// that is installed passed the edge rules unseen).
    func testATierFileGivenTwiceIsCheckedAsItsLastCopy() throws {
        let merged = BundleTierValues.merge([
            try file("values/values-tier1-edge.yaml", "models: {primary: {provider: local}}\n"),
            try file("values/values-tier1-edge.yaml", "models: {primary: {provider: openai}}\n"),
        ])
        XCTAssertEqual(merged.map(\.mergedFiles), [["values/values-tier1-edge.yaml"]])
        XCTAssertEqual(text(at: ["models", "primary", "provider"], in: merged), "openai")
    }

    /// A tier file checked as a tier airlock does not know is an error: the manifest's `EDGE`,
    /// or its own `global.tier: Edge` when neither its name nor the manifest gives one.
    /// values-tier-known leaves such a tier to the run's error, which bundles never raised, so the
    /// tier rules did not run on the file and nothing said so.
    func testATierFileCheckedAsNoKnownTierIsAnError() throws {
        let unnamed = BundleTierValues.merge([try file("values/values-tier-custom.yaml", "global: {tier: Edge}\n")])[0]
        XCTAssertEqual(unnamed.unknownTierError(bundleTier: nil)?.description,
                       "values/values-tier-custom.yaml:1:16: global.tier \"Edge\" is not a deployment tier (edge, datacenter or connected): the rules that depend on the tier could not run")
        XCTAssertEqual(unnamed.unknownTierError(bundleTier: "EDGE")?.description,
                       "values/values-tier-custom.yaml:1:1: checked as the bundle's tier \"EDGE\" (manifest.yaml), which is not a deployment tier (edge, datacenter or connected): the rules that depend on the tier could not run")
        XCTAssertNil(unnamed.unknownTierError(bundleTier: "edge"), "checked as the manifest's tier, which is known")
        let named = BundleTierValues.merge([try file("values/values-tier1-edge.yaml", "global: {tier: Edge}\n")])[0]
        XCTAssertNil(named.unknownTierError(bundleTier: "EDGE"), "checked as the tier its name gives (values-tier-known reports global.tier)")
    }

    /// The tier of a tier file's name, in the spellings people use.
    func testTheTierOfATierFilesName() {
        let cases: [(String, Tier?)] = [
            ("values/values-tier1-edge.yaml", .edge), ("values-tier1-Edge.yaml", .edge), ("values-tier1_edge.yml", .edge),
            ("values-tier1-edge-v2.yaml", .edge), ("values-tier1.yaml", .edge), ("values-tier2-datacenter.json", .datacenter),
            ("c.tgz!c/values-tier3-connected.yaml", .connected), ("values-tier3.yaml", .connected), ("values-tier-custom.yaml", nil),
            ("values-tier1-edge.txt", nil), ("values.yaml", nil),
            ("values/Values-Tier1-Edge.yaml", .edge), ("c.tgz!c/VALUES-TIER2.yaml", .datacenter),
            ("values/VALUES-TIER1-EDGE.YAML", .edge), ("c.tgz!c/values-tier3.Yml", .connected),
        ]
        for (path, tier) in cases { XCTAssertEqual(BundleTierValues.tier(named: path), tier, path) }
    }

    /// The text at `path` of the first merged values, or nil when it is no string there.
    private func text(at path: [String], in merged: [BundleTierValues]) -> String? {
        let value = path.reduce(merged.first?.values.celValue) { value, key in value?.child(key) }
        guard case .string(let text)? = value else { return nil }
        return text
    }
}
