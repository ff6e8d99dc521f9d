import Foundation
import XCTest

/// ValidatingAdmissionPolicyBindings among the policy files apply as the API server applies
/// them: a bound policy runs once per binding (rule `POLICY/BINDING`), on what the binding's
/// matchResources selects, with the params its paramRef selects among the inputs, and its
/// validationActions decide whether a failure fails the run. They were read and ignored.
final class AdmissionPolicyBindingTests: XCTestCase {
    /// Deployments may have at most `params.data.max` replicas (a ConfigMap).
    private let policy = """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: replicas.example.com}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
          validations:
          - expression: "params == null || object.spec.replicas <= int(params.data.max)"
            messageExpression: "'at most ' + params.data.max + ' replicas'"
            fieldPath: spec.replicas

        """

    /// Namespaces prod (env: prod) and dev (env: dev), each with a Deployment of 5 replicas,
    /// the one in prod labelled `checked: "yes"`, and the ConfigMap limits (max 3) in policy.
    private let inputs = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod, labels: {env: prod}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: dev, labels: {env: dev}}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: limits, namespace: policy, labels: {policy: replicas}}
        data: {max: "3"}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: prod, labels: {checked: "yes"}}
        spec: {replicas: 5}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: dev}
        spec: {replicas: 5}

        """

    /// A binding of the policy named `name` with `spec` (YAML lines indented by two).
    private func binding(_ name: String, _ spec: String, policyName: String = "replicas.example.com") -> String {
        """
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: \(name)}
        spec:
          policyName: \(policyName)
        \(spec)

        """
    }

    /// What `airlock check` reports of `policies` (vap.yaml) on `inputs` (in.yaml): its exit
    /// code; each finding as `RULE SEVERITY FILE:LINE:COLUMN MESSAGE` and each error as
    /// `error FILE:LINE:COLUMN MESSAGE`, sorted; the rule ids the report lists; its notes.
    private func check(_ policies: String, inputs: String? = nil) throws -> (exitCode: Int32, lines: [String], rules: [String], notes: [String]) {
        let folder = try temporaryFolder(self)
        try Data(policies.utf8).write(to: folder.appendingPathComponent("vap.yaml"))
        try Data((inputs ?? self.inputs).utf8).write(to: folder.appendingPathComponent("in.yaml"))
        let result = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "in.yaml", "--format", "json"], directory: folder)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any], result.stdout + result.stderr)
        func place(_ item: [String: Any]) -> String {
            let location = item["location"] as? [String: Any] ?? [:]
            return "\(location["file"] ?? "-"):\(location["line"] ?? 0):\(location["column"] ?? 0)"
        }
        let findings = (report["findings"] as? [[String: Any]] ?? []).map { "\($0["ruleId"] ?? "") \($0["severity"] ?? "") \(place($0)) \($0["message"] ?? "")" }
        let errors = (report["diagnostics"] as? [[String: Any]] ?? []).map { "error \(place($0)) \($0["message"] ?? "")" }
        let rules = (report["rules"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")" }
        return (result.exitCode, (findings + errors).sorted(), rules, report["notes"] as? [String] ?? [])
    }

    private let byName = "  validationActions: [Deny]\n  paramRef: {name: limits, namespace: policy, parameterNotFoundAction: Deny}\n"

    /// A binding's namespaceSelector limits the policy to the objects of the namespaces it
    /// selects, under the rule `POLICY/BINDING`; its paramRef by name finds the ConfigMap among
    /// the inputs.
    func testANamespaceSelectorLimitsTheFindingsToLabelledNamespaces() throws {
        let result = try check(policy + binding("prod", byName + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}"))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lines, ["replicas.example.com/prod medium in.yaml:17:18 at most 3 replicas"])
        XCTAssertEqual(result.rules, ["replicas.example.com/prod"])
        XCTAssertEqual(result.notes, [])
    }

    func testAnObjectSelectorLimitsTheFindingsToLabelledObjects() throws {
        let result = try check(policy + binding("checked", byName + "  matchResources: {objectSelector: {matchLabels: {checked: \"yes\"}}}"))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lines, ["replicas.example.com/checked medium in.yaml:17:18 at most 3 replicas"])
    }

    /// Without matchResources a binding applies to everything the policy matches.
    func testABindingWithoutMatchResourcesAppliesToEveryMatchingObject() throws {
        let result = try check(policy + binding("all", byName))
        XCTAssertEqual(result.lines, [
            "replicas.example.com/all medium in.yaml:17:18 at most 3 replicas",
            "replicas.example.com/all medium in.yaml:22:18 at most 3 replicas",
        ])
    }

    /// A selector that matches two params objects evaluates the validations once per object:
    /// each that the Deployment exceeds is a finding.
    func testAParamRefSelectorEvaluatesOncePerParamsObject() throws {
        let second = inputs + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict, namespace: policy, labels: {policy: replicas}}\ndata: {max: \"4\"}\n"
            + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated, namespace: policy}\ndata: {max: \"1\"}\n"
        let spec = """
              validationActions: [Deny]
              paramRef: {namespace: policy, selector: {matchLabels: {policy: replicas}}, parameterNotFoundAction: Deny}
              matchResources: {namespaceSelector: {matchLabels: {env: prod}}}
            """
        let result = try check(policy + binding("prod", spec), inputs: second)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lines, [
            "replicas.example.com/prod medium in.yaml:17:18 at most 3 replicas",
            "replicas.example.com/prod medium in.yaml:17:18 at most 4 replicas",
        ])
    }

    /// Without a namespace, a paramRef looks in the namespace of the object evaluated.
    func testAParamRefWithoutNamespaceLooksInTheObjectsNamespace() throws {
        let local = inputs + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: limits, namespace: dev}\ndata: {max: \"9\"}\n"
        let result = try check(policy + binding("local", "  validationActions: [Deny]\n  paramRef: {name: limits, parameterNotFoundAction: Deny}\n"), inputs: local)
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lines, [
            "replicas.example.com/local medium in.yaml:14:1 no params found for binding local: no ConfigMap limits in the object's namespace among the inputs, and its parameterNotFoundAction is Deny",
        ])
    }

    /// No params found: with Deny the object fails (the API server denies it), with Allow it passes.
    func testParameterNotFoundActionDenyFailsAndAllowPasses() throws {
        let missing = "  validationActions: [Deny]\n  paramRef: {name: absent, namespace: policy, parameterNotFoundAction: %@}\n"
            + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}\n"
        let denied = try check(policy + binding("prod", missing.replacingOccurrences(of: "%@", with: "Deny")))
        XCTAssertEqual(denied.exitCode, 1)
        XCTAssertEqual(denied.lines, [
            "replicas.example.com/prod medium in.yaml:14:1 no params found for binding prod: no ConfigMap absent in namespace policy among the inputs, and its parameterNotFoundAction is Deny",
        ])
        let allowed = try check(policy + binding("prod", missing.replacingOccurrences(of: "%@", with: "Allow")))
        XCTAssertEqual(allowed.exitCode, 0)
        XCTAssertEqual(allowed.lines, [])
    }

    /// Warn (and Audit) without Deny admit the object: its findings are of severity info, which
    /// never fails the run.
    func testWarnOnlyFindingsDoNotFailTheRun() throws {
        let spec = "  validationActions: [Warn, Audit]\n  paramRef: {name: limits, namespace: policy, parameterNotFoundAction: Deny}\n"
            + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}\n"
        let result = try check(policy + binding("prod", spec))
        XCTAssertEqual(result.exitCode, 0)
        XCTAssertEqual(result.lines, ["replicas.example.com/prod info in.yaml:17:18 at most 3 replicas"])
    }

    /// Two bindings of one policy run it twice, told apart by their rule ids.
    func testTwoBindingsOfOnePolicyAreTwoRules() throws {
        let result = try check(
            policy + binding("prod", byName + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}")
                + binding("everywhere", "  validationActions: [Warn]\n  paramRef: {name: limits, namespace: policy, parameterNotFoundAction: Allow}\n"))
        XCTAssertEqual(result.exitCode, 1)
        XCTAssertEqual(result.lines, [
            "replicas.example.com/everywhere info in.yaml:17:18 at most 3 replicas",
            "replicas.example.com/everywhere info in.yaml:22:18 at most 3 replicas",
            "replicas.example.com/prod medium in.yaml:17:18 at most 3 replicas",
        ])
        XCTAssertEqual(result.rules, ["replicas.example.com/everywhere", "replicas.example.com/prod"])
    }

    /// A binding naming no policy of the files is an error at its policyName (the API server
    /// accepts it and applies it to nothing: a typo would pass every object); the policy it
    /// meant runs unbound, and a note says so.
    func testABindingNamingAnUnknownPolicyIsAnError() throws {
        let result = try check(policy + binding("prod", byName, policyName: "replicas.exmaple.com"))
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertEqual(result.lines.filter { $0.hasPrefix("error vap.yaml") }, [
            "error vap.yaml:17:15 spec.policyName: no ValidatingAdmissionPolicy replicas.exmaple.com is among the policy files; did you mean replicas.example.com?",
        ])
        XCTAssertEqual(result.notes, [
            "vap.yaml:1:1: ValidatingAdmissionPolicy replicas.example.com has no binding among the policy files, which hold bindings: "
                + "it is checked as if bound to every object with Deny, while the API server would not run it",
            "rule replicas.example.com has a paramKind (ConfigMap) but no params, as no --param-file gives them: params is null, as for a binding without a paramRef",
        ])
    }

    /// What the API server refuses in a binding is an error at its place, and the policy runs
    /// through none of them.
    func testInvalidBindingsAreErrorsAtTheirPlace() throws {
        let result = try check(
            policy
                + binding("no-actions", "  paramRef: {name: limits, namespace: policy, parameterNotFoundAction: Deny}\n")
                + binding("unknown-action", "  validationActions: [Deny, Block]\n")
                + binding("deny-and-warn", "  validationActions: [Deny, Warn]\n")
                + binding("bad-selector", "  validationActions: [Deny]\n  matchResources: {namespaceSelector: {matchExpressions: [{key: env, operator: In}]}}\n")
                + binding("both", "  validationActions: [Deny]\n  paramRef: {name: limits, selector: {}, parameterNotFoundAction: Deny}\n")
                + binding("neither", "  validationActions: [Deny]\n  paramRef: {parameterNotFoundAction: Sometimes}\n")
                + "---\napiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: nameless}\nspec: {validationActions: [Deny]}\n")
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertEqual(result.lines, [
            "error in.yaml:1:1 read as manifests, and no rule of this run checks manifests (none is loaded): check them with `airlock check`, or `airlock gate pre-deploy` and its deploy profile",
            "error vap.yaml:17:3 spec.validationActions is required",
            "error vap.yaml:26:29 spec.validationActions has \"Block\"; expected one of: Deny, Audit, Warn",
            "error vap.yaml:34:22 spec.validationActions: Deny and Warn may not be given together",
            "error vap.yaml:43:59 spec.matchResources.namespaceSelector.matchExpressions[].values is required",
            "error vap.yaml:52:38 spec.paramRef: name and selector may not be given together",
            "error vap.yaml:61:13 spec.paramRef must give a name or a selector",
            "error vap.yaml:61:39 spec.paramRef.parameterNotFoundAction is \"Sometimes\"; expected one of: Allow, Deny",
            "error vap.yaml:67:7 spec.policyName is required",
        ])
        XCTAssertEqual(result.rules, [])
    }

    /// A paramRef on a policy without paramKind is an error at the paramRef: the policy takes no params.
    func testAParamRefOnAPolicyWithoutParamKindIsAnError() throws {
        let plain = policy.replacingOccurrences(of: "  paramKind: {apiVersion: v1, kind: ConfigMap}\n", with: "")
            .replacingOccurrences(of: "params == null || object.spec.replicas <= int(params.data.max)", with: "object.spec.replicas <= 3")
            .replacingOccurrences(of: "messageExpression: \"'at most ' + params.data.max + ' replicas'\"", with: "message: at most 3 replicas")
        let result = try check(plain + binding("prod", byName))
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertEqual(result.lines, [
            "error in.yaml:1:1 read as manifests, and no rule of this run checks manifests (none is loaded): check them with `airlock check`, or `airlock gate pre-deploy` and its deploy profile",
            "error vap.yaml:18:13 spec.paramRef: ValidatingAdmissionPolicy replicas.example.com has no paramKind, so it takes no params",
        ])
    }

    /// A variable that reads only params is computed for each params object, not once for the
    /// run: each ConfigMap's limit is checked with its own value.
    func testVariablesReadingParamsAreComputedPerParamsObject() throws {
        let withVariable = policy
            .replacingOccurrences(of: "  validations:\n", with: "  variables:\n  - {name: max, expression: \"int(params.data.max)\"}\n  validations:\n")
            .replacingOccurrences(of: "params == null || object.spec.replicas <= int(params.data.max)", with: "object.spec.replicas <= variables.max")
            .replacingOccurrences(of: "'at most ' + params.data.max + ' replicas'", with: "'at most ' + string(variables.max) + ' replicas'")
        let second = inputs + "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: strict, namespace: policy, labels: {policy: replicas}}\ndata: {max: \"4\"}\n"
        let spec = "  validationActions: [Deny]\n  paramRef: {namespace: policy, selector: {matchLabels: {policy: replicas}}, parameterNotFoundAction: Deny}\n"
        let result = try check(withVariable + binding("all", spec), inputs: second)
        XCTAssertEqual(result.lines, [
            "replicas.example.com/all medium in.yaml:17:18 at most 3 replicas",
            "replicas.example.com/all medium in.yaml:17:18 at most 4 replicas",
            "replicas.example.com/all medium in.yaml:22:18 at most 3 replicas",
            "replicas.example.com/all medium in.yaml:22:18 at most 4 replicas",
        ])
    }

    /// A bound policy takes its params from its binding alone: `--param-file` is for the
    /// policies no binding names, and a note says it is not read when there is none.
    func testAParamFileGivesNoParamsToABoundPolicy() throws {
        let folder = try temporaryFolder(self)
        let spec = "  validationActions: [Deny]\n  paramRef: {name: absent, namespace: policy, parameterNotFoundAction: Allow}\n"
        try Data((policy + binding("prod", spec)).utf8).write(to: folder.appendingPathComponent("vap.yaml"))
        try Data(inputs.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        try Data("data: {max: \"0\"}\n".utf8).write(to: folder.appendingPathComponent("params.yaml"))
        let result = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "in.yaml", "--param-file", "params.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 0, result.stdout)
        XCTAssertEqual(
            result.stderr,
            "airlock: note: --param-file is not read: every ValidatingAdmissionPolicy with a paramKind is bound by a ValidatingAdmissionPolicyBinding among the policy files, "
                + "and takes its params from the binding's paramRef\n")
    }

    /// Without a namespace in its paramRef, a namespaced params kind is looked up in the object's
    /// namespace: a cluster-scoped object has none, which the API server fails, and so does airlock.
    func testAClusterScopedObjectWithoutAParamsNamespaceIsAnError() throws {
        let namespaces = policy.replacingOccurrences(of: "apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]", with: "apiGroups: [\"\"], apiVersions: [v1], operations: [CREATE], resources: [namespaces]")
        let result = try check(namespaces + binding("all", "  validationActions: [Deny]\n  paramRef: {name: limits, parameterNotFoundAction: Allow}\n"))
        XCTAssertEqual(result.exitCode, 2)
        let problem = "replicas.example.com/all: binding all: its paramRef names no namespace, so a ConfigMap is looked up in the namespace of the object checked, which has none "
            + "(give spec.paramRef.namespace, or leave cluster-scoped objects out with spec.matchResources)"
        XCTAssertEqual(result.lines, ["error in.yaml:1:1 " + problem, "error in.yaml:5:1 " + problem])
    }

    /// A cluster-scoped params kind has no namespace: a paramRef that names one cannot find it,
    /// which the API server fails, and so does airlock.
    func testAParamsNamespaceForAClusterScopedKindIsAnError() throws {
        let clusterParams = policy.replacingOccurrences(of: "paramKind: {apiVersion: v1, kind: ConfigMap}", with: "paramKind: {apiVersion: v1, kind: Namespace}")
        let result = try check(clusterParams + binding("prod", "  validationActions: [Deny]\n  paramRef: {name: prod, namespace: policy, parameterNotFoundAction: Allow}\n"))
        XCTAssertEqual(result.exitCode, 2)
        let problem = "replicas.example.com/prod: binding prod: its paramRef names namespace policy, and a Namespace is cluster-scoped (leave spec.paramRef.namespace out)"
        XCTAssertEqual(result.lines, ["error in.yaml:14:1 " + problem, "error in.yaml:19:1 " + problem])
    }

    /// A binding name given twice is an error at the later copy, which is not applied; a
    /// binding of a policy of another kind is an error at its policyName.
    func testABindingGivenTwiceOrOfAnotherKindOfPolicyIsAnError() throws {
        let airlockPolicy = """
            ---
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: own-rule}
            spec:
              title: Own rule
              category: general
              severity: low
              validations: [{expression: "true"}]

            """
        let result = try check(policy + airlockPolicy + binding("prod", byName) + binding("prod", byName) + binding("own", "  validationActions: [Deny]\n", policyName: "own-rule"))
        XCTAssertEqual(result.exitCode, 2)
        XCTAssertEqual(result.lines, [
            "error vap.yaml:31:1 ValidatingAdmissionPolicyBinding prod is defined twice; this copy is not applied (first at line 22)",
            "error vap.yaml:44:15 spec.policyName: policy own-rule is no ValidatingAdmissionPolicy, which alone a ValidatingAdmissionPolicyBinding binds",
            "replicas.example.com/prod medium in.yaml:17:18 at most 3 replicas",
            "replicas.example.com/prod medium in.yaml:22:18 at most 3 replicas",
        ])
        XCTAssertEqual(result.rules, ["own-rule", "replicas.example.com/prod"])
    }

    /// `policy explain` of a bound rule says where its binding is and which params it selects.
    func testExplainNamesTheBindingAndItsParams() throws {
        let folder = try temporaryFolder(self)
        try Data((policy + binding("prod", byName + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}")).utf8)
            .write(to: folder.appendingPathComponent("vap.yaml"))
        let result = try airlock(["policy", "explain", "--no-builtin", "--policies", "vap.yaml", "replicas.example.com/prod"], directory: folder)
        XCTAssertEqual(result.exitCode, 0, result.stderr)
        XCTAssertTrue(result.stdout.hasPrefix("""
            replicas.example.com/prod: ValidatingAdmissionPolicy replicas.example.com, binding prod (Deny)
            category: general
            severity: medium
            controls: -
            target: resource
            applies to: deployments.apps
            binding: namespace labels: env=prod
            defined at: vap.yaml:1
            bound at: vap.yaml:13 (ValidatingAdmissionPolicyBinding prod)
            params: ConfigMap limits in namespace policy (none found: Deny)

            """), result.stdout)
    }

    /// Bindings in a file of their own bind the policies of another.
    func testBindingsMayBeInAFileOfTheirOwn() throws {
        let folder = try temporaryFolder(self)
        try Data(policy.utf8).write(to: folder.appendingPathComponent("vap.yaml"))
        try Data(binding("prod", byName + "  matchResources: {namespaceSelector: {matchLabels: {env: prod}}}").utf8).write(to: folder.appendingPathComponent("binding.yaml"))
        try Data(inputs.utf8).write(to: folder.appendingPathComponent("in.yaml"))
        let result = try airlock(["check", "--no-builtin", "--policies", "vap.yaml", "--policies", "binding.yaml", "in.yaml"], directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("in.yaml:17:18  MEDIUM  replicas.example.com/prod  prod/Deployment/web  at most 3 replicas"), result.stdout)
        XCTAssertEqual(result.stderr, "")
    }
}
