import Foundation
import XCTest

/// `--config` and the default `airlock.yaml` change what runs; a config that cannot be read or
/// names an unknown rule fails the run instead of being ignored.
final class ConfigOptionTests: XCTestCase {
    private let pod = """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: default}
        spec:
          containers:
          - name: web
            image: nginx:latest

        """

    /// A folder holding the pod as `pod.yaml` and `config` (when given) as `airlock.yaml`.
    private func folder(config: String?) throws -> URL {
        let folder = try temporaryFolder(self)
        try Data(pod.utf8).write(to: folder.appendingPathComponent("pod.yaml"))
        if let config { try Data(config.utf8).write(to: folder.appendingPathComponent("airlock.yaml")) }
        return folder
    }

    private func config(_ spec: String) -> String { "apiVersion: airlock.dev/v1\nkind: Config\nspec:\n\(spec)" }

    /// Rule id and severity of each finding of a JSON report.
    private func findings(_ result: CommandResult) throws -> [String] {
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let findings = report?["findings"] as? [[String: Any]] ?? []
        return findings.map { "\($0["ruleId"] ?? "") \($0["severity"] ?? "")" }.sorted()
    }

    /// `policy list` names the rules the config file (here the default `airlock.yaml`) disables,
    /// which it leaves out: they went missing from the list with no word why.
    func testPolicyListNamesTheRulesTheConfigDisables() throws {
        let configured = try folder(config: config("  rules:\n    image-pinned: {disabled: true}\n    tenant-budgetquota: {disabled: true}\n"))
        let list = try airlock(["policy", "list"], directory: configured)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertFalse(list.stdout.contains("image-pinned "), list.stdout)
        XCTAssertEqual(list.stderr, "airlock: note: not listed, as the configuration file disables them: image-pinned, tenant-budgetquota\n")
    }

    func testConfigDisablesRulesAndOverridesSeverities() throws {
        let plain = try folder(config: nil)
        let before = try airlock(["check", "pod.yaml", "--format", "json"], directory: plain)
        XCTAssertEqual(try findings(before), ["image-pinned medium", "image-registry-allowed high", "workloads-in-tenant-namespaces medium"])
        let configured = try folder(config: config("  rules:\n    image-pinned: {disabled: true}\n    image-registry-allowed: {severity: low}\n"))
        let byDefault = try airlock(["check", "pod.yaml", "--format", "json"], directory: configured)
        XCTAssertEqual(try findings(byDefault), ["image-registry-allowed low", "workloads-in-tenant-namespaces medium"], "airlock.yaml in the working folder is read")
        let named = try airlock(["check", "pod.yaml", "--format", "json", "--config", configured.appendingPathComponent("airlock.yaml").path], directory: plain)
        XCTAssertEqual(try findings(named), ["image-registry-allowed low", "workloads-in-tenant-namespaces medium"])
    }

    /// The config's severity for a rule is the severity of all its findings, those of a
    /// validation with a severity of its own too: raised to critical, such a validation's
    /// findings stayed low, so `--fail-on high` passed them.
    func testTheConfigSeverityOverridesAValidationsOwn() throws {
        let folder = try folder(config: config("  rules:\n    two-levels: {severity: critical}\n"))
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: two-levels}
            spec:
              category: general
              severity: medium
              title: Two levels
              match: {kinds: [Pod]}
              validations:
              - expression: "false"
                severity: low
              - expression: "true"

            """.utf8).write(to: folder.appendingPathComponent("policy.yaml"))
        let result = try airlock(["check", "pod.yaml", "--no-builtin", "--policies", "policy.yaml", "--fail-on", "high", "--format", "json"], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertEqual(try findings(result), ["two-levels critical"])
    }

    func testParamFlagsWinOverTheConfig() throws {
        let folder = try folder(config: config("  params:\n    image-registry-allowed: {registries: [docker.io]}\n"))
        XCTAssertEqual(try findings(try airlock(["check", "pod.yaml", "--format", "json"], directory: folder)), ["image-pinned medium", "workloads-in-tenant-namespaces medium"])
        let flagged = try airlock(["check", "pod.yaml", "--format", "json", "--param", "image-registry-allowed.registries=[mirror.local]"], directory: folder)
        XCTAssertEqual(try findings(flagged), ["image-pinned medium", "image-registry-allowed high", "workloads-in-tenant-namespaces medium"])
    }

    func testUnreadableConfigAndUnknownRulesAreErrors() throws {
        let folder = try folder(config: nil)
        let missing = try airlock(["check", "pod.yaml", "--config", "absent.yaml"], directory: folder)
        XCTAssertEqual(missing.exitCode, 2)
        XCTAssertTrue(missing.stdout.contains("absent.yaml:1:1: error: cannot read file"), missing.stdout)
        XCTAssertTrue(missing.stdout.contains("image-pinned"), "the manifests are still checked: \(missing.stdout)")
        let unknownParam = try airlock(["check", "pod.yaml", "--param", "image-pined.registries=[x]"], directory: folder)
        XCTAssertEqual(unknownParam.exitCode, 2)
        XCTAssertTrue(
            unknownParam.stdout.contains("airlock: error: --param image-pined.registries names rule image-pined, which no loaded policy defines; did you mean image-pinned?"),
            unknownParam.stdout)
        let bad = try self.folder(config: config("  rules:\n    image-pined: {disabled: true}\n  extra: 1\n"))
        let result = try airlock(["check", "pod.yaml"], directory: bad)
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertTrue(result.stdout.contains("airlock.yaml:6:3: error: unknown field spec.extra"), result.stdout)
        XCTAssertTrue(
            result.stdout.contains("airlock.yaml:5:5: error: the config file names rule image-pined, which no loaded policy defines; did you mean image-pinned?"),
            result.stdout)
    }

    /// A param of the right shape whose value an expression cannot use (a CIDR `10.0.0.0/33`, a
    /// regex `([`) was an error at the built-in policy's expression; it is the flag's, or the
    /// config file's value's.
    func testAParamAnExpressionCannotUseIsAnErrorOfTheFlagOrTheConfig() throws {
        let flagged = try airlock(
            ["check", "pod.yaml", "--tier", "datacenter", "--format", "text", "--param", "no-external-model-endpoints.internalNetworks=[10.0.0.0/8, 10.0.0.0/33]"],
            directory: try folder(config: nil))
        XCTAssertEqual(flagged.exitCode, 2)
        XCTAssertEqual(flagged.stdout.split(separator: "\n").filter { $0.contains("error:") }, [
            "airlock: error: --param no-external-model-endpoints.internalNetworks=[10.0.0.0/8, 10.0.0.0/33]: variables.internalNetworks: network address parse error during conversion from string: '10.0.0.0/33' [no-external-model-endpoints]",
        ])
        let configured = try airlock(
            ["check", "pod.yaml", "--tier", "datacenter", "--format", "text"],
            directory: try folder(config: config("  params:\n    no-external-model-endpoints: {internalNetworks: [10.0.0.0/33]}\n")))
        XCTAssertEqual(configured.exitCode, 2)
        XCTAssertEqual(configured.stdout.split(separator: "\n").filter { $0.contains("error:") }, [
            "airlock.yaml:5:53: error: param internalNetworks of policy no-external-model-endpoints: variables.internalNetworks: network address parse error during conversion from string: '10.0.0.0/33' [no-external-model-endpoints]",
        ])
        // One that an expression cannot compile with (a regex), likewise.
        let regex = try airlock(["check", "pod.yaml", "--format", "text", "--param", "tenant-budgetquota.costPattern=(["], directory: try folder(config: nil))
        XCTAssertEqual(regex.exitCode, 2)
        XCTAssertEqual(regex.stdout.split(separator: "\n").filter { $0.contains("error:") }, [
            "airlock: error: --param tenant-budgetquota.costPattern=([: invalid regex '([': missing terminating ] for character class at offset 2",
        ])
    }

    /// An error of a variable computed from the params that the policy's own defaults cause is
    /// the policy's, at its expression, though another of its params is overridden: a variable
    /// reading `params` whole blamed `--param p.other=2`, which has nothing wrong.
    func testAnErrorOfTheDefaultParamsIsNotThatOfAnotherOverride() throws {
        let folder = try folder(config: nil)
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: p}
            spec:
              category: general
              severity: high
              title: T
              description: D
              remediation: R
              match: {kinds: [Pod]}
              params: {nets: ["10.0.0.0/33"], other: 1}
              variables:
              - name: parsed
                expression: params.all(k, k != 'x') && params.nets.all(c, cidr(c).prefixLength() > 0)
              validations:
              - {expression: variables.parsed, message: m}

            """
        try Data(policy.utf8).write(to: folder.appendingPathComponent("p.yaml"))
        let result = try airlock(
            ["check", "pod.yaml", "--no-builtin", "--policies", "p.yaml", "--format", "text", "--param", "p.other=2"], directory: folder)
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.contains("error:") }, [
            "p.yaml:14:63: error: p: variables.parsed: network address parse error during conversion from string: '10.0.0.0/33' (computed once from the params) [p]",
        ])
    }

    /// `policy list` and `policy explain` show the rules `check` would run: the config's
    /// disabled rules left out, its severities applied, and a config that cannot be read an error.
    func testPolicyCommandsApplyTheConfig() throws {
        let folder = try folder(config: config("  rules:\n    image-pinned: {disabled: true}\n    image-registry-allowed: {severity: low}\n"))
        let list = try airlock(["policy", "list"], directory: folder)
        XCTAssertEqual(list.exitCode, 0, list.stderr)
        XCTAssertFalse(list.stdout.contains("image-pinned "), list.stdout)
        XCTAssertTrue(list.stdout.split(separator: "\n").contains { $0.hasPrefix("image-registry-allowed ") && $0.contains(" low ") }, list.stdout)
        let explained = try airlock(["policy", "explain", "image-pinned"], directory: folder)
        XCTAssertEqual(explained.exitCode, 2)
        XCTAssertTrue(explained.stderr.contains("airlock: error: rule image-pinned is disabled by the configuration file"), explained.stderr)
        let missing = try airlock(["policy", "list", "--config", "absent.yaml"], directory: folder)
        XCTAssertEqual(missing.exitCode, 2)
        XCTAssertTrue(missing.stderr.contains("absent.yaml:1:1: error: cannot read file"), missing.stderr)
    }

    /// A default `airlock.yaml` or `.airlock-exceptions.yaml` that is a link to nothing (a
    /// submodule not checked out) is an error naming the link's target, not a run without them.
    func testDefaultSettingsFilesThatLinkToNothingAreErrors() throws {
        for name in ["airlock.yaml", ".airlock-exceptions.yaml"] {
            let folder = try folder(config: nil)
            try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent(name).path, withDestinationPath: "../policy-submodule/\(name)")
            let result = try airlock(["check", "pod.yaml"], directory: folder)
            XCTAssertEqual(result.exitCode, 2, result.stdout)
            XCTAssertTrue(
                result.stdout.contains("\(name):1:1: error: cannot read file: it is a link to ../policy-submodule/\(name), which leads to no file"), result.stdout)
        }
    }

    /// A `--param-file` with a second document stops the run (exit 2) at that document's place.
    func testASecondParamFileDocumentIsAnError() throws {
        let folder = try folder(config: nil)
        try Data("data: {maxReplicas: \"5\"}\n---\ndata: {maxReplicas: \"0\"}\n".utf8).write(to: folder.appendingPathComponent("params.yaml"))
        let result = try airlock(["check", "pod.yaml", "--param-file", "params.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertTrue(result.stderr.contains("params.yaml:3:1: a --param-file holds one document; found 2"), result.stderr)
    }

    /// A ValidatingAdmissionPolicy with a `paramKind` run without `--param-file` has null params,
    /// as for a binding without a paramRef, and a note says so: its `params == null ||` guard
    /// passed every object in silence. With the file, no note.
    func testAParamKindWithoutParamsIsNoted() throws {
        let folder = try folder(config: nil)
        try Data("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: replicas.example.com}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              validations:
              - expression: "params == null || size(object.spec.containers) <= int(params.data.max)"

            """.utf8).write(to: folder.appendingPathComponent("vap.yaml"))
        try Data("data: {max: \"0\"}\n".utf8).write(to: folder.appendingPathComponent("params.yaml"))
        let unbound = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "pod.yaml"], directory: folder)
        XCTAssertEqual(unbound.exitCode, 0, unbound.stdout)
        XCTAssertEqual(
            unbound.stderr,
            "airlock: note: rule replicas.example.com has a paramKind (ConfigMap) but no params, as no --param-file gives them: params is null, as for a binding without a paramRef\n")
        let bound = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "pod.yaml", "--param-file", "params.yaml"], directory: folder)
        XCTAssertEqual(bound.exitCode, 1, bound.stdout)
        XCTAssertEqual(bound.stderr, "")
    }

    /// Who applies a manifest is not known from it: a policy whose expressions read
    /// `request.userInfo` (a matchCondition skipping service accounts) sees airlock's own user,
    /// and is noted, so that the objects it then skipped or checked do not pass unexplained. The
    /// request has the `uid` every admission request has.
    func testAPolicyReadingTheRequesterIsNoted() throws {
        let folder = try folder(config: nil)
        try Data("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: ci-only.example.com}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              matchConditions:
              - name: from-ci
                expression: "request.userInfo.username.startsWith('system:serviceaccount:ci:')"
              validations:
              - expression: "false"
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: uid.example.com}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              validations:
              - expression: "request.uid == '00000000-0000-0000-0000-000000000000' && request.name == object.metadata.name"

            """.utf8).write(to: folder.appendingPathComponent("vap.yaml"))
        let result = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "pod.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr.split(separator: "\n").filter { $0.contains("request.userInfo") }, [
            "airlock: note: rule ci-only.example.com reads request.userInfo, which a manifest does not carry: "
                + "it sees the user airlock in the group system:authenticated, not whoever will apply the manifest",
        ])
    }

    /// A `--param-file` that cannot be read is an error that names it and says why.
    func testAnUnreadableParamFileSaysWhy() throws {
        let folder = try folder(config: nil)
        let missing = try airlock(["check", "pod.yaml", "--param-file", "absent.yaml"], directory: folder)
        XCTAssertEqual(missing.exitCode, 2)
        XCTAssertTrue(missing.stderr.hasPrefix("Error: --param-file: absent.yaml:1:1: cannot read file: No such file or directory\n"), missing.stderr)
        let folderGiven = try airlock(["check", "pod.yaml", "--param-file", "."], directory: folder)
        XCTAssertTrue(folderGiven.stderr.hasPrefix("Error: --param-file: .:1:1: cannot read file: it is a folder\n"), folderGiven.stderr)
    }
}
