import AirlockCore
import XCTest

final class PolicyLoaderTests: XCTestCase {
    private func errors(_ text: String) -> [String] {
        compile(text, inventory: Inventory()).errors.map(\.description)
    }

    private func policy(_ validations: String, extra: String = "") -> String {
        """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: sample}
        spec:
          category: general
          severity: low
          title: Sample\(extra)
          variables:
          - name: first
            expression: object.metadata.name
          validations:
        \(validations)
        """
    }

    /// A ValidatingAdmissionPolicy matching Deployments, its `spec` going on with `rest` (written
    /// as under `spec:`, two spaces in); the header takes six lines.
    private func admissionPolicy(_ rest: String, name: String = "limits") -> String {
        """
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: \(name)}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
        \(rest)
        """
    }

    /// A document that is no policy is told what it states it is and which versions are read:
    /// a ValidatingAdmissionPolicy of a version airlock does not read was told to be one. The
    /// error is at the field at fault: the apiVersion of a policy's kind, the kind of a policy's
    /// apiVersion (`kind: Polcy`); it was at the document's start.
    func testADocumentThatIsNoPolicySaysWhatItIs() {
        let expected = "expected apiVersion airlock.dev/v1 kind Policy, a ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1, v1beta1), "
            + "a Kyverno ValidatingPolicy (policies.kyverno.io/v1, v1beta1, v1alpha1) or a Kyverno ClusterPolicy or Policy (kyverno.io/v1, v2beta1)"
        XCTAssertEqual(errors("apiVersion: admissionregistration.k8s.io/v1alpha1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: x}\n"), [
            "policy.yaml:1:13: not a policy: it is apiVersion admissionregistration.k8s.io/v1alpha1 kind ValidatingAdmissionPolicy; " + expected,
        ])
        XCTAssertEqual(errors("apiVersion: airlock.dev/v1\nkind: Polcy\nmetadata: {name: x}\n"), [
            "policy.yaml:2:7: not a policy: it is apiVersion airlock.dev/v1 kind Polcy; " + expected,
        ])
        XCTAssertEqual(errors("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"), [
            "policy.yaml:1:1: not a policy: it is apiVersion apps/v1 kind Deployment; " + expected,
        ])
        // A test or a config among the policies is told where it is read.
        XCTAssertEqual(errors("apiVersion: airlock.dev/v1\nkind: PolicyTest\nmetadata: {name: x}\n"), [
            "policy.yaml:2:7: not a policy: it is apiVersion airlock.dev/v1 kind PolicyTest; " + expected
                + ". A PolicyTest is read by `airlock policy test` from a tests/ folder beside its policies",
        ])
        XCTAssertEqual(errors("apiVersion: airlock.dev/v1\nkind: Config\nspec: {}\n"), [
            "policy.yaml:2:7: not a policy: it is apiVersion airlock.dev/v1 kind Config; " + expected
                + ". A Config is read with --config, or as airlock.yaml in the working folder",
        ])
        XCTAssertEqual(errors("kind: Policy\nmetadata: {name: x}\n"), [
            "policy.yaml:1:1: not a policy: it is apiVersion (none) kind Policy; " + expected,
        ])
        XCTAssertEqual(errors("- apiVersion: airlock.dev/v1\n  kind: Policy\n"), [
            "policy.yaml:1:1: not a policy: it states no apiVersion and kind; " + expected,
        ])
    }

    /// Policies exported from a cluster (`kubectl get validatingadmissionpolicies -o yaml`) come
    /// as a `kind: List`, each with the server's metadata and `status`: each item is read, and one
    /// that is no policy is an error at the item. An airlock Policy has no `status`.
    func testAListOfPoliciesExportedFromAClusterIsRead() {
        let list = """
            apiVersion: v1
            kind: List
            metadata: {resourceVersion: ""}
            items:
            - apiVersion: admissionregistration.k8s.io/v1
              kind: ValidatingAdmissionPolicy
              metadata: {name: replicas, generation: 1, creationTimestamp: "2026-12-01T10:00:00Z"}
              spec:
                matchConstraints:
                  resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
                validations: [{expression: "object.spec.replicas <= 5"}]
              status: {observedGeneration: 1, typeChecking: {}}
            - apiVersion: policies.kyverno.io/v1
              kind: ValidatingPolicy
              metadata: {name: labelled, uid: 1f0c, resourceVersion: "42", managedFields: [{manager: kubectl}]}
              spec:
                matchConstraints:
                  resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
                validations: [{expression: "has(object.metadata.labels)"}]
              status: {conditionStatus: {ready: true}}
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: not-a-policy}

            """
        let compiled = compile(list, inventory: Inventory())
        XCTAssertEqual(compiled.policies.map(\.policy.id), ["replicas", "labelled"])
        XCTAssertEqual(compiled.errors.map(\.description).map { String($0.prefix(66)) },
                       ["policy.yaml:21:3: not a policy: it is apiVersion v1 kind ConfigMap"])
        XCTAssertEqual(errors(policy("  - expression: 'true'") + "\nstatus: {}\n"), ["policy.yaml:13:1: unknown field status (known: apiVersion, kind, metadata, spec)"])
    }

    /// An unknown field is told the known ones, and the one it may misspell.
    func testUnknownFieldIsRejectedWithPosition() {
        XCTAssertEqual(
            errors(policy("  - expression: 'true'", extra: "\n  match: {kind: [Pod]}")),
            ["policy.yaml:8:11: unknown field spec.match.kind (known: customResources, excludeKinds, excludeNamespaces, kinds, namespaceSelector, namespaces, objectSelector, tiers); did you mean kinds?"])
        XCTAssertEqual(
            errors(policy("  - expression: 'true'\n    mesage: typo")),
            ["policy.yaml:13:5: unknown field spec.validations[].mesage (known: as, expression, forEach, message, messageExpression, path, pathExpression, severity); did you mean message?"])
    }

    /// A validation's `path` with a typo is an error at it: `spec..replicas` was read as
    /// `spec.replicas`, and `spec.template[0` pointed the findings at `spec:`.
    func testAPathThatIsNoPathIsRejectedAtIt() {
        XCTAssertEqual(errors(policy("  - expression: 'true'\n    path: spec..replicas")),
                       ["policy.yaml:13:11: spec.validations[].path \"spec..replicas\": an empty key between two dots"])
        XCTAssertEqual(errors(policy("  - expression: 'true'\n    path: \"spec.template[0\"")),
                       ["policy.yaml:13:11: spec.validations[].path \"spec.template[0\": an unclosed bracket"])
        XCTAssertEqual(errors(policy("  - expression: 'true'\n    path: spec.containers[0].image")), [])
    }

    func testSyntaxErrorPointsIntoTheExpression() {
        let error = errors(policy("  - expression: object.metadata.name ==")).first ?? ""
        XCTAssertTrue(error.hasPrefix("policy.yaml:12:"), error)
    }

    func testErrorInsideABlockScalarMapsToTheFileLine() {
        let found = errors(policy("  - expression: |\n      object.metadata.name == 'a' &&\n        nosuch.field"))
        XCTAssertEqual(found.count, 1)
        XCTAssertTrue(found[0].hasPrefix("policy.yaml:14:9: sample: undeclared reference to 'nosuch'"), found[0])
    }

    /// Each style rewrites the text it holds (quotes, escapes, indentation, folded line breaks):
    /// the position is where `nosuch` is written, found by reading the file from the scalar's start.
    func testErrorPositionsFollowTheScalarStyle() {
        let cases: [(validation: String, line: Int, column: Int)] = [
            ("  - expression: \"object.kind == 'a' ||\n      nosuch(1)\"", 13, 7),
            ("  - expression: \"object.kind == 'a' \\\n      || nosuch(1)\"", 13, 10),
            ("  - expression: \"'\\u00e9\\x41' == object.kind || nosuch(1)\"", 12, 49),
            // A surrogate pair written as two escapes is one character (Python's json.dumps writes them).
            ("  - expression: \"'\\ud83d\\ude80' == object.kind || nosuch(1)\"", 12, 51),
            ("  - expression: 'object.kind == ''a'' || nosuch(1)'", 12, 42),
            ("  - expression: object.kind == 'a' ||\n      nosuch(1)", 13, 7),
            ("  - expression: >\n      object.kind == 'a' ||\n\n      nosuch(1)", 15, 7),
            ("  - expression: |2-\n      object.kind == 'a' ||\n        nosuch(1)", 14, 9),
            ("  - expression: >-\r\n      object.kind == 'a' ||\r\n      nosuch(1)", 14, 7),
        ]
        for (validation, line, column) in cases {
            let found = errors(policy(validation))
            XCTAssertEqual(found.count, 1, validation)
            XCTAssertTrue(found.first?.hasPrefix("policy.yaml:\(line):\(column): sample: undeclared reference to 'nosuch'") ?? false, "\(validation): \(found)")
        }
    }

    /// "Unexpected end of input" is at the end of the expression, after its last character, not
    /// at the start of the scalar.
    func testAnExpressionCutShortIsReportedWhereItEnds() {
        XCTAssertEqual(errors(policy("  - expression: \"object.kind == 'a' &&\"")), ["policy.yaml:12:39: sample: Syntax error: unexpected end of input"])
        XCTAssertEqual(errors(policy("  - expression: |\n      object.kind == 'a' ||\n        object.kind ==\n")),
                       ["policy.yaml:14:23: sample: Syntax error: unexpected end of input"])
    }

    /// An error of the policy's form (a misspelt severity) does not hide its expressions' errors:
    /// one run shows them all.
    func testFormErrorsAndExpressionErrorsAreReportedTogether() {
        let found = errors(policy("  - expression: \"object.kind == (\"\n  - expression: nosuch(1)").replacingOccurrences(of: "severity: low", with: "severity: hgh"))
        XCTAssertEqual(found.count, 3, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("policy.yaml:6:13: spec.severity is \"hgh\"") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("policy.yaml:12:34: sample: Syntax error: unexpected end of input") }, "\(found)")
        XCTAssertTrue(found.contains { $0.hasPrefix("policy.yaml:13:17: sample: undeclared reference to 'nosuch'") }, "\(found)")
    }

    /// A field of a closed set written as a number is told the values it may take: it was told to
    /// be quoted (`must be a string (quote it)`), and `"3"` is no severity either.
    func testAChoiceWrittenAsANumberIsToldItsValues() {
        XCTAssertEqual(errors(policy("  - expression: 'true'").replacingOccurrences(of: "severity: low", with: "severity: 3")),
                       ["policy.yaml:6:13: spec.severity is 3; expected one of: info, low, medium, high, critical"])
    }

    func testUnknownFunctionAndUndeclaredVariable() {
        let unknown = errors(policy("  - expression: frobnicate(object)"))
        XCTAssertTrue(unknown.first?.hasPrefix("policy.yaml:12:17: sample:") ?? false, "\(unknown)")
        XCTAssertTrue(unknown.first?.contains("frobnicate") ?? false)
        XCTAssertEqual(
            errors(policy("  - expression: variables.second == variables.first")),
            ["policy.yaml:12:27: sample: variables.second is not declared before this expression"])
    }

    /// Every error of an expression is its own diagnostic at its place, in source order, as
    /// cel-go reports them: only the first was, so an author fixed one per run.
    func testEveryErrorOfAnExpressionIsReportedAtItsPlace() {
        XCTAssertEqual(errors(policy("""
              - expression: object.metadata.name.startWith('x') || sizee(object.spec.containers) > 0
              - expression: size(object.spec.containers) > '3' || nosuch
            """)), [
            "policy.yaml:12:38: sample: undeclared reference to 'startWith' (unknown function); did you mean startsWith?",
            "policy.yaml:12:56: sample: undeclared reference to 'sizee' (unknown function); did you mean size?",
            "policy.yaml:13:46: sample: found no matching overload for '_>_' applied to '(int, string)'",
            "policy.yaml:13:55: sample: undeclared reference to 'nosuch'",
        ])
        XCTAssertEqual(errors(admissionPolicy("""
              variables:
              - {name: a, expression: "sizee(object) + nosuch"}
              matchConditions:
              - {name: m, expression: "nosuch1 || nosuch2"}
              validations:
              - expression: "true"
                messageExpression: "'a' + 1 + nope"
            """, name: "p")), [
            "policy.yaml:8:28: p: undeclared reference to 'sizee' (unknown function); did you mean size?",
            "policy.yaml:8:44: p: undeclared reference to 'nosuch'",
            "policy.yaml:10:28: p: undeclared reference to 'nosuch1'",
            "policy.yaml:10:39: p: undeclared reference to 'nosuch2'",
            "policy.yaml:13:29: p: found no matching overload for '_+_' applied to '(string, int)' (text is joined to a number with string(x))",
            "policy.yaml:13:35: p: undeclared reference to 'nope'",
        ])
        XCTAssertEqual(errors(kyvernoPolicy("").replacingOccurrences(of: #"{expression: "true"}"#, with: #"{expression: "nosuch || sizee(object)"}"#)), [
            "policy.yaml:7:31: pods: undeclared reference to 'nosuch'",
            "policy.yaml:7:41: pods: undeclared reference to 'sizee' (unknown function); did you mean size?",
        ])
    }

    /// A variable or param read by its bare name, as written where `variables.` or `params.` was
    /// meant, is told how it is read: it was only an undeclared reference. Another name is not.
    func testAVariableOrParamReadBareIsToldItsPrefix() {
        XCTAssertEqual(errors(policy("  - expression: first == 'web'\n  - expression: size(variables.first) < limit", extra: "\n  params: {limit: 3}")), [
            "policy.yaml:13:17: sample: undeclared reference to 'first' (a variable is read as variables.first)",
            "policy.yaml:14:41: sample: undeclared reference to 'limit' (a param is read as params.limit)",
        ])
        XCTAssertEqual(errors(policy("  - expression: other")), ["policy.yaml:12:17: sample: undeclared reference to 'other'"])
    }

    /// Variables are read as `variables.NAME`, checked against the declarations however the
    /// expression is written (a leading dot, raw or triple-quoted strings around it); read whole,
    /// by a key or optionally, a variable could read any other, and declarations could no longer
    /// order them.
    func testVariablesAreReadByName() {
        XCTAssertEqual(errors(policy(#"  - expression: "r'\\' + '''it's''' + string(.variables.second) == variables.first""#)), [
            "policy.yaml:12:57: sample: variables.second is not declared before this expression",
        ])
        XCTAssertEqual(errors(policy("  - expression: size(variables) > 0 && variables['first'] != '' && variables.?first.hasValue()")), [
            "policy.yaml:12:22: sample: variables are read by name (variables.NAME), not whole, by a key or optionally",
        ])
        XCTAssertEqual(errors(policy("  - expression: variables.nowhere == ''")), [
            "policy.yaml:12:27: sample: variables.nowhere is not declared before this expression",
        ])
    }
    /// A `forEach` element named like a binding would hide it from the rest of the validation
    /// (`as: object` made `object` the element); a name that is no identifier could never be read.
    func testForEachElementNamesThatHideOrCannotBeReadAreRejected() {
        let names = [
            "object", "oldObject", "namespaceObject", "params", "variables", "tier", "values", "request", "package",
            "bundle", "registry", "'not valid'", "in", "'null'", "int", "net", "math", "'9lives'",
        ]
        let validations = names.map { "  - {forEach: '[1]', as: \($0), expression: 'true'}" }.joined(separator: "\n")
        let found = errors(policy(validations + "\n  - {forEach: '[1]', as: container, expression: 'container == 1'}"))
        let at = { (line: Int) in "policy.yaml:\(line):26: sample: as: " }
        XCTAssertEqual(found, [
            at(12) + "\"object\" would hide the binding object; choose another name",
            at(13) + "\"oldObject\" would hide the binding oldObject; choose another name",
            at(14) + "\"namespaceObject\" would hide the binding namespaceObject; choose another name",
            at(15) + "\"params\" would hide the binding params; choose another name",
            at(16) + "\"variables\" would hide the binding variables; choose another name",
            at(17) + "\"tier\" would hide the binding tier; choose another name",
            at(18) + "\"values\" would hide the binding values; choose another name",
            at(19) + "\"request\" would hide the binding request; choose another name",
            at(20) + "\"package\" is a reserved word of CEL",
            at(21) + "\"bundle\" would hide the binding bundle; choose another name",
            at(22) + "\"registry\" would hide the binding registry; choose another name",
            at(23) + "\"not valid\" is not a CEL identifier (a letter or _, then letters, digits and _)",
            at(24) + "\"in\" is a reserved word of CEL",
            at(25) + "\"null\" is a reserved word of CEL",
            at(26) + "\"int\" would hide the type int; choose another name",
            at(27) + "\"net\" would hide the type net.CIDR; choose another name",
            at(28) + "\"math\" would hide functions such as math.abs; choose another name",
            at(29) + "\"9lives\" is not a CEL identifier (a letter or _, then letters, digits and _)",
        ])
    }

    /// A bad kind is reported at the item, not at the start of the list.
    func testABadKindIsReportedAtTheItem() {
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: "\n  match:\n    kinds:\n    - Pod\n    - a/b/c/Pod\n    - apps/v1/")), [
            "policy.yaml:11:7: spec.match.kinds: \"a/b/c/Pod\" is not Kind or group/version/Kind",
            "policy.yaml:12:7: spec.match.kinds: \"apps/v1/\" is not Kind or group/version/Kind",
        ])
        // An empty version is no version any object has: such a pattern would match nothing, and
        // in excludeKinds leave nothing out.
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: "\n  match:\n    kinds: [apps//Deployment, \"*.*/*/*\"]\n    excludeKinds: [/Pod]")), [
            "policy.yaml:9:13: spec.match.kinds: \"apps//Deployment\" is not Kind or group/version/Kind",
            "policy.yaml:10:20: spec.match.excludeKinds: \"/Pod\" is not Kind or group/version/Kind",
        ])
    }

    /// `version/Kind` names the core group: an API group written in place of the version
    /// (`apps/Deployment`, `networking.k8s.io/NetworkPolicy`) is no version any object has, so
    /// such an entry would match nothing (in excludeKinds leave nothing out) without a word.
    func testAGroupWrittenAsTheCoreGroupsVersionIsAnError() {
        let extra = "\n  match:\n    kinds: [v1/Pod, apps/Deployment, networking.k8s.io/NetworkPolicy, \"*/Service\"]\n    excludeKinds: [batch/Job]"
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: extra)), [
            "policy.yaml:9:21: spec.match.kinds: \"apps/Deployment\" reads as version apps of the core group (version/Kind), which no object has: a kind of group apps is written apps/*/Deployment",
            "policy.yaml:9:38: spec.match.kinds: \"networking.k8s.io/NetworkPolicy\" reads as version networking.k8s.io of the core group (version/Kind), which no object has: a kind of group networking.k8s.io is written networking.k8s.io/*/NetworkPolicy",
            "policy.yaml:10:20: spec.match.excludeKinds: \"batch/Job\" reads as version batch of the core group (version/Kind), which no object has: a kind of group batch is written batch/*/Job",
        ])
    }

    /// A policy name is a DNS subdomain, as Kubernetes names objects: dots only between labels,
    /// each label starting and ending with a letter or digit, the whole at most 253 bytes (a
    /// label may be longer than 63 there, as in a ConfigMap's name).
    func testAPolicyNameIsADNSSubdomain() {
        let longest = [String](repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") // 255
        for name in ["team.limits", "a-1.b", "1a", "a--b", String(repeating: "a", count: 64), String(longest.dropFirst(2))] {
            XCTAssertEqual(errors(policy("  - expression: 'true'").replacingOccurrences(of: "name: sample", with: "name: \(name)")), [], name)
        }
        for name in [".a", "a.", "a..b", "A", "-a", "a-", "a.-b", "a-.b", "-", String(repeating: "a", count: 254), String(longest.dropFirst(1))] {
            XCTAssertEqual(errors(policy("  - expression: 'true'").replacingOccurrences(of: "name: sample", with: "name: '\(name)'")), [
                "policy.yaml:3:18: metadata.name \"\(name)\" must be a DNS subdomain: labels of lower-case letters, digits and dashes that start and end with a letter or digit, separated by single dots, at most 253 bytes in all",
            ], name)
        }
    }

    /// A misspelt tier would limit the rule to a tier no run has: it would never run.
    func testUnknownTiersAreRejectedAtTheItem() {
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: "\n  match: {tiers: [edge, edgy, connected]}")), [
            "policy.yaml:8:25: spec.match.tiers has \"edgy\"; expected one of: edge, datacenter, connected",
        ])
    }

    /// Kubernetes refuses a variable whose name is no CEL identifier (`bad-name`, `1x`, `in`):
    /// expressions could read it only as `variables['bad-name']`.
    func testAVariableNameMustBeACELIdentifier() {
        let admission = errors(admissionPolicy("""
              variables:
              - {name: bad-name, expression: "10"}
              - {name: 1x, expression: "1"}
              - {name: in, expression: "2"}
              - {name: _ok1, expression: "3"}
              validations:
              - expression: object.spec.replicas <= variables._ok1
            """))
        XCTAssertEqual(admission, [
            "policy.yaml:8:12: spec.variables: \"bad-name\" is not a CEL identifier (a letter or _, then letters, digits and _)",
            "policy.yaml:9:12: spec.variables: \"1x\" is not a CEL identifier (a letter or _, then letters, digits and _)",
            "policy.yaml:10:12: spec.variables: \"in\" is a reserved word of CEL",
        ])
        // A name YAML reads as a number or a boolean is no string.
        let native = errors("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: sample}
            spec:
              category: general
              severity: low
              title: Sample
              variables:
              - {name: 1, expression: "2"}
              - {name: true, expression: "3"}
              validations:
              - expression: variables['1'] == 2
            """)
        XCTAssertEqual(native, [
            "policy.yaml:9:12: spec.variables[].name must be a string (quote it)",
            "policy.yaml:10:12: spec.variables[].name must be a string (quote it)",
            "policy.yaml:12:17: sample: variables are read by name (variables.NAME), not whole, by a key or optionally",
        ])
    }

    /// Of two variables of one name, expressions would read only the first.
    func testAVariableDeclaredTwiceIsRejectedAtTheSecond() {
        let native = errors("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: sample}
            spec:
              category: general
              severity: low
              title: Sample
              variables:
              - {name: first, expression: "'a'"}
              - name: first
                expression: "'b'"
              validations:
              - expression: variables.first == 'b'
            """)
        XCTAssertEqual(native, ["policy.yaml:10:11: spec.variables: \"first\" is declared twice (first at line 9)"])
        let admission = errors(admissionPolicy("""
              variables:
              - name: limit
                expression: "10"
              - name: limit
                expression: "3"
              validations:
              - expression: object.spec.replicas <= variables.limit
            """))
        XCTAssertEqual(admission, ["policy.yaml:10:11: spec.variables: \"limit\" is declared twice (first at line 8)"])
    }

    /// A ValidatingAdmissionPolicy's validations are read as the API server reads them: a
    /// `fieldPath` of the documented form (a numeric index is not), a known `reason`, no other field.
    func testAdmissionPolicyValidationFieldsAreChecked() {
        func admission(_ validation: String) -> [String] {
            errors(admissionPolicy("  validations:\n  - expression: object.spec.replicas <= 3\n\(validation)"))
        }
        for good in ["spec.replicas", ".spec.replicas", "metadata.labels['app.kubernetes.io/name']", "['spec'].replicas", "spec['a.b']['c']"] {
            XCTAssertEqual(admission("    fieldPath: \"\(good)\"\n    reason: Invalid"), [], good)
        }
        XCTAssertEqual(admission("    fieldPath: spec.containers[0].image"), [
            "policy.yaml:9:16: spec.validations[].fieldPath \"spec.containers[0].image\": a numeric index is not supported",
        ])
        for (bad, problem) in [("spec..replicas", "an empty key between two dots"), ("spec.", "an empty key after the last dot"),
                               ("spec[x]", "a bracket holds a quoted key: ['key']"), ("['a']b", "a key follows a bracket without a dot"),
                               ("spec['a", "a quoted key without its closing quote")] {
            XCTAssertEqual(admission("    fieldPath: \"\(bad)\""), ["policy.yaml:9:16: spec.validations[].fieldPath \"\(bad)\": \(problem)"], bad)
        }
        XCTAssertEqual(admission("    reason: Denied\n    mesage: typo"), [
            "policy.yaml:9:13: spec.validations[].reason is \"Denied\"; expected one of: Unauthorized, Forbidden, Invalid, RequestEntityTooLarge",
            "policy.yaml:10:5: unknown field spec.validations[].mesage (known: expression, fieldPath, message, messageExpression, reason); did you mean message?",
        ])
    }

    /// A Kyverno ValidatingPolicy on Pods, its `spec` going on with `rest` (two spaces in); the
    /// header takes seven lines.
    private func kyvernoPolicy(_ rest: String, kind: String = "ValidatingPolicy") -> String {
        """
        apiVersion: policies.kyverno.io/v1
        kind: \(kind)
        metadata: {name: pods, namespace: team-a, annotations: {policies.kyverno.io/title: Pods are fine, policies.kyverno.io/severity: high}}
        spec:
          matchConstraints:
            resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [pods]}]
          validations: [{expression: "true"}]
        \(rest)
        """
    }

    /// Kyverno's fields of a ValidatingPolicy are read as Kyverno reads them; its Pod rules also
    /// check the pod controllers it names (all six when it names none), unless its match is one
    /// Kyverno makes no controller rules for.
    func testKyvernoValidatingPolicyFieldsAndAutogen() throws {
        func loaded(_ text: String) throws -> Policy {
            let result = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
            XCTAssertEqual(result.errors.map(\.description), [])
            return try XCTUnwrap(result.policies.first)
        }
        let all = try loaded(kyvernoPolicy("""
              validationActions: [Audit, Warn]
              failurePolicy: Ignore
              evaluation: {mode: Kubernetes, admission: {enabled: true}, background: {enabled: false}}
              webhookConfiguration: {timeoutSeconds: 30}
              autogen: {validatingAdmissionPolicy: {enabled: true}}
            """))
        XCTAssertEqual(all.descriptor.title, "Pods are fine")
        XCTAssertEqual(all.descriptor.severity, .high)
        XCTAssertEqual(all.match.namespaces, [])
        XCTAssertEqual(all.podTemplateControllers.map(\.kind), ["CronJob", "DaemonSet", "Deployment", "Job", "ReplicaSet", "StatefulSet"])
        XCTAssertEqual(all.match.resourceRules.map { "\($0.apiGroups[0])/\($0.resources[0]) \($0.operations)" }, [
            "/pods [\"CREATE\", \"UPDATE\"]", "batch/cronjobs [\"CREATE\", \"UPDATE\"]", "apps/daemonsets [\"CREATE\", \"UPDATE\"]",
            "apps/deployments [\"CREATE\", \"UPDATE\"]", "batch/jobs [\"CREATE\", \"UPDATE\"]", "apps/replicasets [\"CREATE\", \"UPDATE\"]",
            "apps/statefulsets [\"CREATE\", \"UPDATE\"]",
        ])
        let named = try loaded(kyvernoPolicy("  autogen: {podControllers: {controllers: [deployments, cronjobs]}}", kind: "NamespacedValidatingPolicy"))
        XCTAssertEqual(named.podTemplateControllers.map(\.kind), ["Deployment", "CronJob"])
        XCTAssertEqual(named.match.namespaces, ["team-a"])
        XCTAssertEqual(try loaded(kyvernoPolicy("  autogen: {podControllers: {controllers: []}}")).podTemplateControllers, [])
        let selective = kyvernoPolicy("").replacingOccurrences(of: "resources: [pods]}]", with: "resources: [pods]}]\n    objectSelector: {matchLabels: {a: b}}")
        XCTAssertEqual(try loaded(selective).podTemplateControllers, [], "a pod template is not judged by the pod's labels")
    }

    /// What Kyverno refuses in its fields is an error at its place; a policy for JSON documents
    /// is not one airlock can run.
    func testKyvernoValidatingPolicyFieldErrors() {
        XCTAssertEqual(errors(kyvernoPolicy("""
              validationActions: [Deny, Warn, Deny, Block]
              evaluation: {mode: JSON, background: {enabled: "no"}}
              webhookConfiguration: {timeoutSeconds: 31}
              autogen: {podControllers: {controllers: [deployment]}}
              paramKind: {kind: ConfigMap}
            """)), [
            "policy.yaml:8:41: spec.validationActions has \"Block\"; expected one of: Deny, Audit, Warn",
            "policy.yaml:8:35: spec.validationActions: \"Deny\" is given twice",
            "policy.yaml:8:22: spec.validationActions: Deny and Warn may not be given together",
            "policy.yaml:9:22: spec.evaluation.mode JSON checks JSON documents of any shape, not Kubernetes objects, which is what airlock checks",
            "policy.yaml:9:50: spec.evaluation.background.enabled must be true or false",
            "policy.yaml:10:42: spec.webhookConfiguration.timeoutSeconds must be between 1 and 30",
            "policy.yaml:11:44: spec.autogen.podControllers.controllers has \"deployment\"; expected one of: cronjobs, daemonsets, deployments, jobs, replicasets, statefulsets",
            "policy.yaml:12:3: unknown field spec.paramKind (known: auditAnnotations, autogen, evaluation, failurePolicy, matchConditions, matchConstraints, validationActions, validations, variables, webhookConfiguration)",
        ])
    }

    /// A Kyverno severity annotation airlock cannot read (`High`, a typo) is an error at it, as
    /// `airlock.dev/severity` is: it was read as medium in silence, so `--fail-on high` passed
    /// the findings of a rule meant to be high. `airlock.dev/severity` decides when both are given.
    func testUnknownKyvernoSeverityIsAnError() throws {
        let expected = "is not a severity; expected one of: info, low, medium, high, critical"
        XCTAssertEqual(errors(kyvernoPolicy("").replacingOccurrences(of: "severity: high", with: "severity: High")), [
            "policy.yaml:3:129: policies.kyverno.io/severity \"High\" \(expected)",
        ])
        XCTAssertEqual(errors(kyvernoPolicy("").replacingOccurrences(of: "severity: high", with: "severity: hihg, airlock.dev/severity: critcal")), [
            "policy.yaml:3:157: airlock.dev/severity \"critcal\" \(expected)",
        ])
        let overridden = PolicyLoader().load(
            Array(kyvernoPolicy("").replacingOccurrences(of: "severity: high", with: "severity: High, airlock.dev/severity: critical").utf8), file: "policy.yaml")
        XCTAssertEqual(overridden.errors.map(\.description), [])
        XCTAssertEqual(overridden.policies.map(\.descriptor.severity), [.critical])
    }

    /// A Kyverno PolicyException is left unread (the findings it would exempt are reported); a
    /// ClusterPolicy rule that is no CEL is an error saying what airlock reads instead.
    func testKyvernoExceptionsAreSkippedAndClusterPolicyPatternsRefused() {
        let text = """
            apiVersion: policies.kyverno.io/v1
            kind: PolicyException
            metadata: {name: allow-debug, namespace: team-a}
            spec: {exceptions: [{policyName: pods}], matchConditions: [{name: debug, expression: "true"}]}
            ---
            apiVersion: kyverno.io/v1
            kind: ClusterPolicy
            metadata: {name: require-labels}
            spec: {rules: [{name: r, match: {any: [{resources: {kinds: [Pod]}}]}, validate: {pattern: {metadata: {labels: {app: "?*"}}}}}]}
            ---

            """ + kyvernoPolicy("")
        let result = PolicyLoader().load(Array(text.utf8), file: "policy.yaml")
        XCTAssertEqual(result.policies.map(\.id), ["pods"])
        XCTAssertEqual(result.errors.map(\.description), [
            "policy.yaml:9:91: spec.rules[].validate.pattern is not read by airlock: it reads validate.cel",
        ])
        XCTAssertEqual(result.kyvernoExceptions.map(\.name), ["allow-debug"])
        XCTAssertEqual(result.kyvernoExceptions.map(\.location), [SourceSpan(file: "policy.yaml", line: 1, column: 1)])
    }

    /// A Kyverno PolicyException is not applied, and the user is told so: a policy file or folder
    /// holding only such exceptions is an error saying what it holds and why it is not applied
    /// (not that it is empty), and one beside policies is a note naming its place.
    func testAKyvernoExceptionIsNamedAsNotApplied() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("only"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("mixed"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        func exception(_ name: String?) -> String {
            "apiVersion: kyverno.io/v2\nkind: PolicyException\nmetadata: {\(name.map { "name: " + $0 } ?? "namespace: x")}\nspec: {exceptions: [{policyName: pods, ruleNames: [r]}]}\n"
        }
        let one = folder.appendingPathComponent("only/one.yaml")
        try Data(("# accepted by the platform team\n" + exception("allow-debug")).utf8).write(to: one)
        let two = folder.appendingPathComponent("only/two.yaml")
        try Data((exception("a") + "---\n" + exception(nil)).utf8).write(to: two)
        let mixed = folder.appendingPathComponent("mixed/policies.yaml")
        try Data((policy("  - expression: 'true'") + "\n---\n" + exception("allow-debug")).utf8).write(to: mixed)
        let why = "airlock applies only its own exceptions, which record a justification, an owner and an expiry, "
            + "so the findings it would exempt are reported: accept them in the exceptions file (.airlock-exceptions.yaml, or --exceptions FILE) instead"
        let only = PolicySource.load(paths: [one.path, two.path, folder.appendingPathComponent("only").path], includeBuiltin: false)
        XCTAssertEqual(only.policies.map(\.id), [])
        XCTAssertEqual(only.errors.map(\.description), [
            "\(one.path):2:1: file holds no policy, only a Kyverno PolicyException (allow-debug), which is not applied: " + why,
            "\(two.path):1:1: file holds no policy, only 2 Kyverno PolicyExceptions (a), which are not applied: " + why,
        ])
        XCTAssertEqual(only.notes, [])
        let folderOnly = PolicySource.load(paths: [folder.appendingPathComponent("only").path], includeBuiltin: false)
        XCTAssertEqual(folderOnly.errors.map(\.description), [
            "\(folder.path)/only:1:1: directory holds no policy, only 3 Kyverno PolicyExceptions (allow-debug, a), which are not applied: " + why,
        ])
        let beside = PolicySource.load(paths: [mixed.path], includeBuiltin: false)
        XCTAssertEqual(beside.policies.map(\.id), ["sample"])
        XCTAssertEqual(beside.errors, [])
        XCTAssertEqual(beside.notes, ["\(mixed.path):14:1: Kyverno PolicyException allow-debug is not applied: " + why])
    }

    /// A file of a policy folder that holds no document (emptied by a failed write, or a policy
    /// commented out) runs nothing: it is named in a note, as an empty manifest file is. It was
    /// skipped in silence when the folder held other policies. A file of bindings alone is read
    /// as one and left unnoted.
    func testAnEmptyFileOfAPolicyFolderIsNoted() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try Data(policy("  - expression: 'true'").utf8).write(to: folder.appendingPathComponent("a.yaml"))
        try Data().write(to: folder.appendingPathComponent("b.yaml"))
        try Data("# apiVersion: airlock.dev/v1\n# kind: Policy\n---\n".utf8).write(to: folder.appendingPathComponent("c.yaml"))
        try Data("apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicyBinding\nmetadata: {name: b}\nspec: {policyName: p, validationActions: [Deny]}\n".utf8)
            .write(to: folder.appendingPathComponent("d.yaml"))
        try Data("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: p}
            spec:
              matchConstraints: {resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]}
              validations: [{expression: "true"}]

            """.utf8).write(to: folder.appendingPathComponent("e.yaml"))
        let loaded = PolicySource.load(paths: [folder.path], includeBuiltin: false)
        XCTAssertEqual(loaded.policies.map(\.id), ["sample", "p/b"])
        XCTAssertEqual(loaded.errors, [])
        XCTAssertEqual(loaded.notes, [
            "\(folder.path)/b.yaml holds no policy (it is empty, or holds only comments or ---): nothing in it is run",
            "\(folder.path)/c.yaml holds no policy (it is empty, or holds only comments or ---): nothing in it is run",
        ])
    }

    /// A resource rule's `scope` is `Cluster`, `Namespaced` or `*`, spelt as Kubernetes spells it.
    func testAnAdmissionResourceRuleScopeIsOneKubernetesKnows() {
        func withScope(_ scope: String) -> String {
            """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: scoped}
            spec:
              matchConstraints:
                resourceRules:
                - {apiGroups: ["*"], apiVersions: ["*"], operations: [CREATE], resources: ["*"], scope: \(scope)}
                excludeResourceRules:
                - apiGroups: ["*"]
                  apiVersions: ["*"]
                  operations: ["*"]
                  resources: ["*"]
                  scope: \(scope)
              validations:
              - expression: "false"
            """
        }
        for valid in ["Cluster", "Namespaced", "'*'"] {
            XCTAssertEqual(errors(withScope(valid)), [], valid)
        }
        XCTAssertEqual(errors(withScope("cluster")), [
            "policy.yaml:7:93: spec.matchConstraints.resourceRules[].scope is \"cluster\"; expected one of: Cluster, Namespaced, *",
            "policy.yaml:13:14: spec.matchConstraints.excludeResourceRules[].scope is \"cluster\"; expected one of: Cluster, Namespaced, *",
        ])
    }

    /// Resource rules are read as the API server validates them: the four lists it requires,
    /// non-empty; `*` alone; resources that do not overlap; object names; no other field. A rule
    /// that is refused would otherwise match nothing, and the policy would pass everything.
    func testMalformedAdmissionResourceRulesAreRejectedAtTheirPlace() {
        let found = errors("""
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: rules}
            spec:
              matchConstraints:
                resourceRules:
                - apiGroups: [apps]
                  apiVersions: [v1]
                  operations: [CREATE]
                  resource: [deployments]
                - {apiGroups: [apps], apiVersions: [v1, ""], operations: [CREATE, "*"], resources: deployments}
                - apiGroups: ["*", apps]
                  apiVersions: []
                  resources: ["*", deployments, "*/*", pods/*, pods/log, "", deployments/scale]
                  resourceNames: [web, web, a/b, ".."]
                - just a string
                excludeResourceRules:
                - {apiGroups: ~, apiVersions: [v1], operations: [CREATE], resources: [deployments/*, "*/scale", deployments/scale]}
              validations:
              - expression: "false"
            """)
        let rule = "spec.matchConstraints.resourceRules[]"
        XCTAssertEqual(found, [
            "policy.yaml:7:7: \(rule).resources is required",
            "policy.yaml:10:7: unknown field \(rule).resource (known: apiGroups, apiVersions, operations, resourceNames, resources, scope); did you mean resources?",
            "policy.yaml:11:88: \(rule).resources must be a list of strings",
            "policy.yaml:11:71: \(rule).operations: \"*\" must be alone in the list",
            "policy.yaml:11:45: \(rule).apiVersions has an empty item",
            "policy.yaml:13:20: \(rule).apiVersions must not be empty",
            "policy.yaml:12:7: \(rule).operations is required",
            "policy.yaml:12:19: \(rule).apiGroups: \"*\" must be alone in the list",
            "policy.yaml:14:37: \(rule).resources: \"*/*\" must be alone in the list",
            "policy.yaml:14:44: \(rule).resources: \"pods/*\" is covered by \"*/*\"",
            "policy.yaml:14:52: \(rule).resources: \"pods/log\" is covered by \"pods/*\"",
            "policy.yaml:14:62: \(rule).resources has an empty item",
            "policy.yaml:14:19: \(rule).resources: \"*\" covers \"deployments\"; list no other resource without a subresource beside it",
            "policy.yaml:15:28: \(rule).resourceNames: \"web\" is given twice",
            "policy.yaml:15:33: \(rule).resourceNames: \"a/b\" is no object name (not . or .., without / or %)",
            "policy.yaml:15:38: \(rule).resourceNames: \"..\" is no object name (not . or .., without / or %)",
            "policy.yaml:16:7: \(rule) must be a mapping",
            "policy.yaml:18:19: spec.matchConstraints.excludeResourceRules[].apiGroups must not be empty",
            "policy.yaml:18:101: spec.matchConstraints.excludeResourceRules[].resources: \"deployments/scale\" is covered by \"deployments/*\"",
            "policy.yaml:18:101: spec.matchConstraints.excludeResourceRules[].resources: \"deployments/scale\" is covered by \"*/scale\"",
        ])
        // The API server looks only at the last resource without a subresource beside `*`.
        XCTAssertEqual(errors(admissionPolicy("  validations:\n  - expression: \"false\"").replacingOccurrences(
            of: "resources: [deployments]", with: "resources: [deployments, \"*\", \"*/scale\", pods/*]")), [])
    }

    /// Operations are CREATE, UPDATE, DELETE, CONNECT or `*`, case and all: a misspelt one made
    /// the rule apply to no creation, and the policy was reported as not run, a pass.
    func testAdmissionRuleOperationsAreOnesKubernetesKnows() {
        func withOperations(_ operations: String) -> [String] {
            errors(admissionPolicy("  validations:\n  - expression: \"false\"").replacingOccurrences(
                of: "operations: [CREATE]", with: "operations: \(operations)"))
        }
        for valid in ["[CREATE]", "[UPDATE, DELETE, CONNECT]", "['*']"] {
            XCTAssertEqual(withOperations(valid), [], valid)
        }
        let allowed = "expected one of: CREATE, UPDATE, DELETE, CONNECT, *"
        XCTAssertEqual(withOperations("[CRAETE, create, UPDATE, Delete]"), [
            "policy.yaml:6:73: spec.matchConstraints.resourceRules[].operations has \"CRAETE\"; \(allowed)",
            "policy.yaml:6:81: spec.matchConstraints.resourceRules[].operations has \"create\"; \(allowed)",
            "policy.yaml:6:97: spec.matchConstraints.resourceRules[].operations has \"Delete\"; \(allowed)",
        ])
    }

    /// The API server needs a resource rule to know the type of the objects a policy checks.
    func testAnAdmissionPolicyNeedsAResourceRule() {
        let header = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: p}\nspec:\n"
        let validations = "  validations:\n  - expression: \"false\"\n"
        XCTAssertEqual(errors(header + "  matchConstraints: {resourceRules: []}\n" + validations), [
            "policy.yaml:5:37: spec.matchConstraints.resourceRules must list at least one rule",
        ])
        XCTAssertEqual(errors(header + "  matchConstraints:\n    namespaceSelector: {}\n" + validations), [
            "policy.yaml:6:5: spec.matchConstraints.resourceRules must list at least one rule",
        ])
    }

    /// Label selectors are read as Kubernetes validates them, in both policy forms: `In` and
    /// `NotIn` need values, `Exists` and `DoesNotExist` take none, label keys and values have
    /// their form. The API server refuses any other; here it matched nothing, a pass.
    func testInvalidLabelSelectorsAreRejectedAtTheirPlace() {
        let found = errors(policy("  - expression: 'true'", extra: """

              match:
                namespaceSelector:
                  matchExpressions:
                  - {key: environment, operator: In, values: []}
                  - {key: environment, operator: NotIn}
                  - {key: team, operator: Exists, values: [a]}
                  - {key: "not a key", operator: In, values: [ok, "not ok"]}
                objectSelector:
                  matchLabels: {"not a valid key!": web, example.com/app: "-web", Example.com/app: web}
            """))
        let key = "a name of at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit), optionally after a DNS subdomain and '/'"
        let value = "empty, or at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit)"
        let expression = "spec.match.namespaceSelector.matchExpressions[]"
        XCTAssertEqual(found, [
            "policy.yaml:11:50: \(expression).values must not be empty",
            "policy.yaml:12:9: \(expression).values is required",
            "policy.yaml:13:48: \(expression).values must be empty for operator Exists",
            "policy.yaml:14:15: \(expression).key \"not a key\" is no label key: \(key)",
            "policy.yaml:14:55: \(expression).values has \"not ok\", which is no label value: \(value)",
            "policy.yaml:16:21: spec.match.objectSelector.matchLabels: \"not a valid key!\" is no label key: \(key)",
            "policy.yaml:16:63: spec.match.objectSelector.matchLabels.example.com/app: \"-web\" is no label value: \(value)",
            "policy.yaml:16:71: spec.match.objectSelector.matchLabels: \"Example.com/app\" is no label key: \(key)",
        ])
        XCTAssertEqual(errors(admissionPolicy("""
              validations:
              - expression: "false"
            """).replacingOccurrences(of: "  matchConstraints:\n", with: """
              matchConstraints:
                objectSelector: {matchExpressions: [{key: app, operator: NotIn, values: []}]}
                namespaceSelector: {matchLabels: {"team name": a}}

            """)), [
            "policy.yaml:7:39: spec.matchConstraints.namespaceSelector.matchLabels: \"team name\" is no label key: \(key)",
            "policy.yaml:6:77: spec.matchConstraints.objectSelector.matchExpressions[].values must not be empty",
        ])
    }

    /// A namespace of `match` is matched by its exact name: a wildcard (`team-*`, as Kyverno
    /// writes it) or a name no namespace can have (`Team-A`) matched nothing, so a rule for the
    /// tenants passed them all, with only a note. It is an error at its place.
    func testMatchNamespacesMustBeNamespaceNames() {
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: """

              match:
                namespaces: [team-a, "team-*", Team-B]
                excludeNamespaces: ["kube-*"]
            """)), [
            "policy.yaml:9:26: spec.match.namespaces: \"team-*\" is no namespace name (a DNS-1123 label: lower-case letters, digits and '-'); namespaces are matched by their exact names, without wildcards: list them, or select them by their labels with namespaceSelector",
            "policy.yaml:9:36: spec.match.namespaces: \"Team-B\" is no namespace name (a DNS-1123 label: lower-case letters, digits and '-'); namespaces are matched by their exact names, without wildcards: list them, or select them by their labels with namespaceSelector",
            "policy.yaml:10:25: spec.match.excludeNamespaces: \"kube-*\" is no namespace name (a DNS-1123 label: lower-case letters, digits and '-'); namespaces are matched by their exact names, without wildcards: list them, or select them by their labels with namespaceSelector",
        ])
    }

    /// Selectors of the forms Kubernetes accepts still load.
    func testValidLabelSelectorsLoad() {
        XCTAssertEqual(errors(policy("  - expression: 'true'", extra: """

              match:
                namespaceSelector:
                  matchLabels: {app.kubernetes.io/name: web, example.com/level: "", team: a-b_c.D9, nulled: ~}
                  matchExpressions:
                  - {key: example.com/level, operator: In, values: [secret, ""]}
                  - {key: team, operator: Exists}
                  - {key: legacy, operator: DoesNotExist, values: []}
            """)), [])
    }

    /// A string field is a string as YAML reads it: unquoted `true`, `5` or `7` are a boolean and
    /// numbers, which Kubernetes refuses for a string field too.
    func testStringFieldsMustBeStrings() {
        XCTAssertEqual(errors(policy("  - expression: true\n    message: 5\n    path: 7")), [
            "policy.yaml:12:17: spec.validations[].expression must be a string (quote it)",
            "policy.yaml:13:14: spec.validations[].message must be a string (quote it)",
            "policy.yaml:14:11: spec.validations[].path must be a string (quote it)",
        ])
        XCTAssertEqual(errors(policy("  - expression: \"true\"\n    message: \"5\"")), [])
    }

    /// What the API server refuses in a ValidatingAdmissionPolicy is refused here, at its place:
    /// no matchConstraints, neither validations nor auditAnnotations, an audit annotation's bad
    /// key or expression, a matchCondition named twice, an audit annotation key given twice; an
    /// error about a name or key points at it, not at the expression beside it.
    func testAdmissionPolicyFormIsCheckedAsTheAPIServerChecksIt() {
        let unconstrained = "apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata: {name: p}\nspec:\n"
        XCTAssertEqual(errors(unconstrained + "  validations:\n  - expression: \"true\"\n"), ["policy.yaml:5:3: spec.matchConstraints is required"])
        XCTAssertEqual(errors(admissionPolicy("  failurePolicy: Fail\n", name: "p")), [
            "policy.yaml:5:3: spec.validations or spec.auditAnnotations must list at least one item (Kubernetes refuses a policy with neither)",
        ])
        XCTAssertEqual(errors(admissionPolicy("  validations: []\n  auditAnnotations: []\n", name: "p")), [
            "policy.yaml:7:16: spec.validations or spec.auditAnnotations must list at least one item (Kubernetes refuses a policy with neither)",
        ])
        XCTAssertEqual(errors(admissionPolicy("  validations: []\n  auditAnnotations: [{key: a, valueExpression: \"'x'\"}]\n", name: "p")), [])
        XCTAssertEqual(errors(admissionPolicy("  failurePolicy: fail\n  validations: [{expression: \"true\"}]\n", name: "p")), [
            "policy.yaml:7:18: spec.failurePolicy is \"fail\"; expected one of: Ignore, Fail",
        ])
        XCTAssertEqual(errors(admissionPolicy("""
              auditAnnotations:
              - {key: "bad key!", valueExpression: "'x'"}
              - {key: ok, valueExpression: "'x' +"}
              - {key: fine, valueExpression: undeclaredThing}
              - {key: ok, valueExpression: "'y'"}
              matchConditions:
              - {name: a, expression: "true"}
              - {name: a, expression: "true"}
            """, name: "p")), [
            "policy.yaml:14:12: spec.matchConditions: \"a\" is given twice",
            "policy.yaml:11:11: spec.auditAnnotations: \"ok\" is given twice",
            "policy.yaml:8:11: spec.auditAnnotations[].key \"bad key!\" must be a qualified name of at most 63 characters (letters, digits, '-', '_', '.', starting and ending with a letter or digit)",
            "policy.yaml:9:38: p: Syntax error: unexpected end of input",
            "policy.yaml:10:34: p: undeclared reference to 'undeclaredThing'",
        ])
    }

    /// Kubernetes declares `params` only to a policy with a `paramKind`: reading it in one without
    /// is an error at the reference, as the API server's compiler reports it. A `paramKind` is a
    /// mapping of a non-empty `apiVersion` and `kind`, nothing else.
    func testAdmissionPolicyReadsParamsOnlyWithAParamKind() {
        let reading = "  validations:\n  - expression: \"object.spec.replicas <= params.max\""
        XCTAssertEqual(errors(admissionPolicy(reading)), [
            "policy.yaml:8:42: limits: undeclared reference to 'params'",
        ])
        XCTAssertEqual(errors(admissionPolicy("  paramKind: {apiVersion: v1, kind: ConfigMap}\n" + reading)), [])
        XCTAssertEqual(errors(admissionPolicy("  paramKind: {kind: \"\", group: x}\n" + reading)), [
            "policy.yaml:7:14: spec.paramKind.apiVersion is required",
            "policy.yaml:7:21: spec.paramKind.kind must not be empty",
            "policy.yaml:7:25: unknown field spec.paramKind.group (known: apiVersion, kind)",
        ])
    }

    /// Kubernetes rejects a static message with a line break; `message: |` ends in one.
    func testAMultilineMessageIsRejected() {
        XCTAssertEqual(errors(policy("  - expression: 'true'\n    message: |\n      two\n      lines")), [
            "policy.yaml:13:14: spec.validations[].message must be one line (fold a long one with >-)",
        ])
        XCTAssertEqual(errors(policy("  - expression: 'true'\n    message: >-\n      one\n      line")), [])
    }

    /// A folder of policies is searched for the same files as a folder of inputs: a JSON policy
    /// loaded when named but was skipped in a folder.
    func testAFolderOfPoliciesHoldsJSONPoliciesToo() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let json = #"{"apiVersion": "airlock.dev/v1", "kind": "Policy", "metadata": {"name": "from-json"}, "spec": {"category": "general", "severity": "low", "title": "t", "validations": [{"expression": "true"}]}}"#
        try Data(json.utf8).write(to: folder.appendingPathComponent("p.json"))
        try Data(policy("  - expression: 'true'").utf8).write(to: folder.appendingPathComponent("p.yml"))
        try Data("{}".utf8).write(to: folder.appendingPathComponent("tests/not-a-policy.json"))
        let loaded = PolicySource.load(paths: [folder.path], includeBuiltin: false)
        XCTAssertEqual(loaded.errors, [])
        XCTAssertEqual(loaded.policies.map(\.id).sorted(), ["from-json", "sample"])
    }

    /// A policy defined twice is an error at each later copy, which does not run.
    func testOnlyTheFirstCopyOfAPolicyRuns() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        for (file, title) in [("a.yaml", "First"), ("b.yaml", "Second"), ("c.yaml", "Third")] {
            try Data(policy("  - expression: 'true'").replacingOccurrences(of: "title: Sample", with: "title: \(title)").utf8)
                .write(to: folder.appendingPathComponent(file))
        }
        let loaded = PolicySource.load(paths: [folder.path], includeBuiltin: false)
        XCTAssertEqual(loaded.policies.map(\.descriptor.title), ["First"])
        let message = "policy sample is defined twice; this copy is not run (first at \(folder.path)/a.yaml:1)"
        XCTAssertEqual(loaded.errors.map(\.message), [message, message])
        XCTAssertEqual(loaded.errors.map { $0.location?.file }, [folder.path + "/b.yaml", folder.path + "/c.yaml"])
    }

    /// A copy with errors of its own still makes a later copy a copy: fixing its errors would
    /// otherwise be rewarded with a new one, and one run would not name every error.
    func testACopyOfAPolicyWithErrorsIsStillACopy() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-policies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        let valid = policy("  - expression: 'true'")
        try Data((valid.replacingOccurrences(of: "category: general", with: "category: generl") + "\n---\n" + valid).utf8)
            .write(to: folder.appendingPathComponent("a.yaml"))
        try Data(valid.utf8).write(to: folder.appendingPathComponent("b.yaml"))
        let loaded = PolicySource.load(paths: [folder.path], includeBuiltin: false)
        XCTAssertEqual(loaded.policies.map(\.id), [])
        XCTAssertEqual(loaded.errors.map(\.description), [
            "\(folder.path)/a.yaml:5:13: spec.category is \"generl\"; expected one of: classification, airgap-egress, quota, registry-locality, package, bundle, general",
            "\(folder.path)/a.yaml:14:1: policy sample is defined twice; this copy is not run (first at line 1)",
            "\(folder.path)/b.yaml:1:1: policy sample is defined twice; this copy is not run (first at \(folder.path)/a.yaml:1)",
        ])
    }

    func testMissingFieldsAndBadEnumsAreAllReportedAtOnce() {
        let found = errors("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: sample}
            spec:
              category: nonsense
              severity: urgent
              validations: []
            """)
        XCTAssertEqual(found, [
            "policy.yaml:5:13: spec.category is \"nonsense\"; expected one of: classification, airgap-egress, quota, registry-locality, package, bundle, general",
            "policy.yaml:6:13: spec.severity is \"urgent\"; expected one of: info, low, medium, high, critical",
            "policy.yaml:5:3: spec.title is required",
            "policy.yaml:7:16: spec.validations must list at least one validation",
        ])
    }
}
