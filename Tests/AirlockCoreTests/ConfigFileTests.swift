@testable import AirlockCore
import XCTest

final class ConfigFileTests: XCTestCase {
    func testParamsSeveritiesAndDisabledRules() {
        var options = CheckOptions()
        let errors = ConfigFile.apply(Array("""
            apiVersion: airlock.dev/v1
            kind: Config
            spec:
              params:
                image-registry-allowed: {registries: [mirror.local]}
              rules:
                image-pinned: {severity: low}
                tenant-budgetquota: {disabled: true}
            """.utf8), file: "airlock.yaml", to: &options)
        XCTAssertEqual(errors, [])
        XCTAssertEqual(options.severities, ["image-pinned": .low])
        XCTAssertEqual(options.disabledRules, ["tenant-budgetquota"])
        XCTAssertNotNil(options.params.values["image-registry-allowed"]?["registries"])
        let compiled = CheckRunner.compilePolicies(options, inventory: Inventory())
        XCTAssertEqual(compiled.errors, [])
        XCTAssertEqual(compiled.policies.first { $0.descriptor.id == "image-pinned" }?.descriptor.severity, .low)
        XCTAssertFalse(compiled.policies.contains { $0.descriptor.id == "tenant-budgetquota" })
    }

    /// `--param` values are read as YAML, as the config file's are: `null`, `~` and nothing are null.
    func testParamFlagsAreReadAsYAMLAsTheConfigFileIs() throws {
        var fromFile = CheckOptions()
        XCTAssertEqual(ConfigFile.apply(Array("apiVersion: airlock.dev/v1\nkind: Config\nspec:\n  params:\n    p: {k: null}\n".utf8), file: "airlock.yaml", to: &fromFile), [])
        XCTAssertEqual(fromFile.params.values["p"]?["k"].map { String(describing: $0.value) }, "null")
        for (text, expected) in [("null", "null"), ("~", "null"), ("", "null"), ("'null'", "\"null\""), ("[a, 1.0]", "[\"a\", 1]")] {
            var overrides = ParamOverrides()
            try overrides.add(assignment: "p.k=\(text)")
            XCTAssertEqual(overrides.values["p"]?["k"].map { String(describing: $0.value) }, expected, text)
        }
        // A policy name may hold dots: the key follows the last one.
        var dotted = ParamOverrides()
        try dotted.add(assignment: "team.limits.max=3")
        XCTAssertEqual(dotted.values["team.limits"]?["max"].map { String(describing: $0.value) }, "3")
        // When only a shorter prefix is a policy, the rest is the key, so the error names its params.
        try dotted.add(assignment: "quota.egress.edge=[deny-all]")
        dotted.regroup(known: ["team.limits", "quota"])
        XCTAssertEqual(dotted.values.keys.sorted(), ["quota", "team.limits"])
        XCTAssertNotNil(dotted.values["quota"]?["egress.edge"])
        // A second document is an error, as in a --param-file, not a value dropped unseen.
        var twoDocuments = ParamOverrides()
        XCTAssertThrowsError(try twoDocuments.add(assignment: "image-registry-allowed.registries=[a]\n---\n[b]")) { error in
            XCTAssertEqual((error as? Diagnostic)?.message, "--param image-registry-allowed.registries: the value holds 2 YAML documents, not one (a later one would be ignored)")
        }
        XCTAssertTrue(twoDocuments.values.isEmpty)
    }

    /// A value of the wrong type is an error at its place in the config file, never ignored; a
    /// param the policy lacks, or one of another shape than its default, is reported at the
    /// config file's line or with the flag that set it, not blamed on the policy or a manifest.
    func testTypeErrorsAndUnknownParamsAreReportedWhereTheyWereWritten() throws {
        var options = CheckOptions()
        try options.params.add(assignment: "bundle-sidecar-digest.requireSidecar=[x]")
        let errors = ConfigFile.apply(Array("""
            apiVersion: airlock.dev/v1
            kind: Config
            spec:
              params:
                image-registry-allowed: {registriez: [docker.io]}
                values-connected-egress:
                  minPrefixLength: [8]
              rules:
                image-pinned: {disabled: "yes"}
            """.utf8), file: "airlock.yaml", to: &options)
        XCTAssertEqual(errors.map(\.description), ["airlock.yaml:9:30: spec.rules.image-pinned.disabled must be true or false"])
        XCTAssertEqual(options.disabledRules, [])
        XCTAssertEqual(CheckRunner.compilePolicies(options, inventory: Inventory()).errors.map(\.description), [
            "--param bundle-sidecar-digest.requireSidecar: param requireSidecar of policy bundle-sidecar-digest must be a boolean, as its default is; found a list",
            "airlock.yaml:5:30: policy image-registry-allowed has no param \"registriez\" (it has: registries)",
            "airlock.yaml:7:24: param minPrefixLength of policy values-connected-egress must be a map, as its default is; found a list",
        ])
    }

    /// `.nan` or `.inf` turns a comparison off (every one with NaN is false): never a param.
    func testParamsHoldOnlyFiniteNumbers() throws {
        var options = CheckOptions()
        try options.params.add(assignment: "values-connected-egress.minPrefixLength={ipv4: .nan, ipv6: 8}")
        try options.params.add(assignment: "quantities-valid.nothing=1")
        XCTAssertEqual(CheckRunner.compilePolicies(options, inventory: Inventory()).errors.map(\.description), [
            "--param quantities-valid.nothing: policy quantities-valid has no param \"nothing\" (it has none)",
            "--param values-connected-egress.minPrefixLength: param minPrefixLength of policy values-connected-egress holds .nan, which is no number a rule can compare",
        ])
    }

    /// A ValidatingAdmissionPolicy's params are the document of --param-file: a param set by key
    /// is an error, not silently dropped.
    func testAdmissionPolicyParamsAreNotSetByKey() throws {
        let loaded = PolicyLoader().load(Array("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: limit.example.com}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules:
                - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
              validations:
              - expression: "object.spec.replicas <= int(params.data.maxReplicas)"
            """.utf8), file: "vap.yaml")
        let policy = try XCTUnwrap(loaded.policies.first)
        var overrides = ParamOverrides()
        overrides.admissionParams = .map(["data": .map(["maxReplicas": .string("3")])])
        guard case .success(let params) = overrides.params(for: policy), case .string("3")? = params.child("data")?.child("maxReplicas") else {
            return XCTFail("the --param-file document is its params")
        }
        try overrides.add(assignment: "limit.example.com.data={maxReplicas: '3'}")
        guard case .failure(let error) = overrides.params(for: policy) else { return XCTFail("a param by key is refused") }
        XCTAssertEqual(error.description, "--param limit.example.com.data: policy limit.example.com is a ValidatingAdmissionPolicy: its params are the document of --param-file, not params by key")
    }

    func testUnknownFieldsAndRulesAreErrors() {
        var options = CheckOptions()
        let errors = ConfigFile.apply(Array("apiVersion: airlock.dev/v1\nkind: Config\nspec:\n  rules:\n    no-such-rule: {severity: urgent}\n  extra: 1\n".utf8), file: "airlock.yaml", to: &options)
        XCTAssertEqual(errors.map(\.description), [
            "airlock.yaml:5:30: spec.rules.no-such-rule.severity is \"urgent\"; expected one of: info, low, medium, high, critical",
            "airlock.yaml:6:3: unknown field spec.extra (known: params, rules)",
        ])
        options.disabledRules = ["no-such-rule"]
        XCTAssertEqual(CheckRunner.compilePolicies(options, inventory: Inventory()).errors.map(\.description), [
            "airlock.yaml:5:5: the config file names rule no-such-rule, which no loaded policy defines",
        ], "the error is at the rule's key in the config file")
    }

    /// A second document of a config file or a `--param-file` is an error at its start, never
    /// ignored (a second document raising a severity would otherwise be dropped).
    func testASecondDocumentIsAnErrorAtItsPlace() {
        var options = CheckOptions()
        let errors = ConfigFile.apply(Array("""
            # site config
            apiVersion: airlock.dev/v1
            kind: Config
            spec: {}
            ---
            apiVersion: airlock.dev/v1
            kind: Config
            spec:
              rules:
                image-pinned: {severity: high}
            """.utf8), file: "airlock.yaml", to: &options)
        XCTAssertEqual(errors.map(\.description), ["airlock.yaml:6:1: a config file holds one document; found 2 (a later one would be ignored)"])
        var params = ParamOverrides()
        XCTAssertEqual(params.setAdmissionParams(yaml: Array("data: {maxReplicas: \"5\"}\n---\n  data: {maxReplicas: \"0\"}\n".utf8), file: "params.yaml").map(\.description), [
            "params.yaml:3:3: a --param-file holds one document; found 2 (a later one would be ignored)",
        ])
        XCTAssertEqual(params.setAdmissionParams(yaml: Array("data: {maxReplicas: \"5\"}\n---\n".utf8), file: "params.yaml"), [], "an empty last document is no document")
        XCTAssertEqual(String(describing: params.admissionParams), #"{"data": {"maxReplicas": "5"}}"#)
    }

    /// Content of the wrong type is an error at its place, never a section read as empty: a list
    /// or a string where `spec.rules` or `spec.params` maps, a string or a number for `disabled`,
    /// a missing `apiVersion`, and a file holding no document at all (a truncated one, say).
    func testWrongTypedContentAndAnEmptyFileAreErrors() {
        func errors(_ text: String) -> [String] {
            var options = CheckOptions()
            let errors = ConfigFile.apply(Array(text.utf8), file: "airlock.yaml", to: &options)
            XCTAssertEqual(options.disabledRules, [], text)
            XCTAssertTrue(options.params.values.isEmpty, text)
            return errors.map(\.description)
        }
        let header = "apiVersion: airlock.dev/v1\nkind: Config\nspec:\n"
        XCTAssertEqual(errors(header + "  rules: [image-pinned]\n"), ["airlock.yaml:4:10: spec.rules must be a mapping of rule ids to settings"])
        XCTAssertEqual(errors(header + "  rules: image-pinned\n"), ["airlock.yaml:4:10: spec.rules must be a mapping of rule ids to settings"])
        XCTAssertEqual(errors(header + "  params: [image-registry-allowed]\n"), ["airlock.yaml:4:11: spec.params must be a mapping of policy ids to their params"])
        XCTAssertEqual(errors(header + "  rules:\n    image-pinned: {disabled: \"true\"}\n"), ["airlock.yaml:5:30: spec.rules.image-pinned.disabled must be true or false"])
        XCTAssertEqual(errors(header + "  rules:\n    image-pinned: {disabled: 1}\n"), ["airlock.yaml:5:30: spec.rules.image-pinned.disabled must be true or false"])
        XCTAssertEqual(errors("# generated config (truncated)\n"), ["airlock.yaml:1:1: a config file holds one document; found none (only comments or nothing)"])
        XCTAssertEqual(errors(""), ["airlock.yaml:1:1: a config file holds one document; found none (only comments or nothing)"])
        XCTAssertEqual(errors("kind: Config\nspec: {}\n"), ["airlock.yaml:1:1: apiVersion is required"])
        XCTAssertEqual(errors("apiVersion: v1\nkind: ConfigMap\nspec: {}\n"), [
            "airlock.yaml:1:1: not an airlock config: expected apiVersion airlock.dev/v1 kind Config, found apiVersion v1 kind ConfigMap",
        ])
        XCTAssertEqual(errors("[apiVersion]\n"), ["airlock.yaml:1:1: the document must be a mapping"])
        var params = ParamOverrides()
        XCTAssertEqual(params.setAdmissionParams(yaml: Array("# none\n".utf8), file: "params.yaml").map(\.description), [
            "params.yaml:1:1: a --param-file holds one document; found none (only comments or nothing)",
        ])
    }

    /// A list whose default's elements are all of one kind, or a map whose default's values are,
    /// takes no element of another kind (`[53, dns]` where the ports are strings would make the
    /// rule compare 53 with "53" and report every DNS rule); the error names the flag or the
    /// config file's position, as a value of another shape does.
    func testElementsOfAnotherKindThanTheDefaultsAreErrors() throws {
        var options = CheckOptions()
        try options.params.add(assignment: "netpol-egress-destinations.dnsPorts=[53, dns, dns-tcp]")
        XCTAssertEqual(ConfigFile.apply(Array("""
            apiVersion: airlock.dev/v1
            kind: Config
            spec:
              params:
                values-connected-egress:
                  minPrefixLength: {ipv4: 8, ipv6: "16"}
            """.utf8), file: "airlock.yaml", to: &options), [])
        XCTAssertEqual(CheckRunner.compilePolicies(options, inventory: Inventory()).errors.map(\.description), [
            "--param netpol-egress-destinations.dnsPorts: param dnsPorts of policy netpol-egress-destinations must be a list of strings, as its default is; found 53, a number, at index 0",
            "airlock.yaml:6:24: param minPrefixLength of policy values-connected-egress must be a map of numbers, as its default is; found \"16\", a string, at key \"ipv6\"",
        ])
        var fitting = CheckOptions()
        for assignment in ["netpol-egress-destinations.dnsPorts=[\"53\", domain]", "values-connected-egress.minPrefixLength={ipv4: 16, ipv6: 48.0}", "image-registry-allowed.registries=[]"] {
            try fitting.params.add(assignment: assignment)
        }
        XCTAssertEqual(CheckRunner.compilePolicies(fitting, inventory: Inventory()).errors, [])
    }
}
