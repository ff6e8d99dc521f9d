import Foundation
import XCTest

/// `airlock policy test`: what a failing case reports, and where.
final class PolicyTestCommandTests: XCTestCase {
    private let policies = """
        apiVersion: airlock.dev/v1
        kind: Policy
        metadata: {name: few-replicas}
        spec:
          category: general
          severity: low
          title: At most two replicas
          match: {kinds: [Deployment]}
          validations:
          - expression: object.spec.replicas < 3
        ---
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

        """

    private func run(_ test: String, policies: String? = nil) throws -> (exitCode: Int32, stdout: String, stderr: String) {
        let folder = try temporaryFolder(self)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("tests"), withIntermediateDirectories: true)
        try Data((policies ?? self.policies).utf8).write(to: folder.appendingPathComponent("p.yaml"))
        try Data(test.utf8).write(to: folder.appendingPathComponent("tests/t.yaml"))
        let result = try airlock(["policy", "test", folder.path])
        return (result.exitCode, result.stdout.replacingOccurrences(of: folder.path, with: "F"), result.stderr.replacingOccurrences(of: folder.path, with: "F"))
    }

    /// A PolicyTest named `t` of these `cases` (written as under `cases:`, two spaces in).
    private func policyTest(_ cases: String) -> String {
        "apiVersion: airlock.dev/v1\nkind: PolicyTest\nmetadata: {name: t}\nspec:\n  cases:\n" + cases
    }

    /// A case's `params` under a ValidatingAdmissionPolicy's name are its params, whole; a rule
    /// that fails with an error is reported once, as an error, not also as a pass.
    func testAdmissionParamsAndErrorsOfACase() throws {
        let result = try run(policyTest("""
              - name: large
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: d}
                  spec: {replicas: 5}
                params: {limit.example.com: {data: {maxReplicas: "4"}}}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail}
                - {rule: limit.example.com, resource: default/Deployment/d, result: fail}
              - name: small
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: d}
                  spec: {replicas: 1}
                params: {limit.example.com: {data: {maxReplicas: "4"}}}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}
                - {rule: limit.example.com, resource: default/Deployment/d, result: pass}
              - name: unset
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: d}
                  spec: {}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail, line: 4}

            """))
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:33:7: t/unset: few-replicas on default/Deployment/d: expected fail, got error: few-replicas: validations[0]: no such key: replicas",
        ])
        XCTAssertTrue(result.stdout.contains("2 passed, 1 failed"), result.stdout)
    }

    /// A rule that did not run in a case (limited to tiers, the case giving none) is said so, with
    /// why: the failure said only that it "did not apply".
    func testARuleThatDidNotRunSaysWhy() throws {
        let atEdge = policies.replacingOccurrences(of: "match: {kinds: [Deployment]}", with: "match: {kinds: [Deployment], tiers: [edge]}")
        let result = try run(policyTest("""
              - name: no tier
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: d}
                  spec: {replicas: 5}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail}

            """), policies: atEdge)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL F/tests") }, [
            "FAIL F/tests/t.yaml:13:7: t/no tier: few-replicas on default/Deployment/d: expected fail, got the rule did not run: "
                + "it applies only at tier edge, and no deployment tier was given (--tier, or global.tier in the --values files)",
        ])
    }

    /// An expectation naming a misspelt rule is told the rule it may have meant.
    func testAMisspeltRuleOfAnExpectationIsToldTheOneMeant() throws {
        let result = try run(policyTest("""
              - name: typo
                resources: "{apiVersion: apps/v1, kind: Deployment, metadata: {name: d}, spec: {replicas: 5}}"
                expect:
                - {rule: few-replica, resource: default/Deployment/d, result: fail}

            """))
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL F/tests") }, [
            "FAIL F/tests/t.yaml:9:7: t/typo: no policy few-replica is loaded; did you mean few-replicas?",
        ])
    }

    /// An expectation of a values rule in a case without `values` says the case gives none: it
    /// said only that the rule "did not apply".
    func testAValuesRuleInACaseWithoutValuesSaysSo() throws {
        let values = "apiVersion: airlock.dev/v1\nkind: Policy\nmetadata: {name: tier-set}\n"
            + "spec: {category: general, severity: low, title: t, target: values, validations: [{expression: has(object.global)}]}\n"
        let result = try run(policyTest("""
              - name: no values
                resources: "{apiVersion: v1, kind: Namespace, metadata: {name: a}}"
                expect:
                - {rule: tier-set, resource: values, result: fail}

            """), policies: values)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL F/tests") }, [
            "FAIL F/tests/t.yaml:9:7: t/no values: tier-set on values: expected fail, got the case gives no values (values: {...}) for the values rule",
        ])
    }

    /// An evaluation error on an object the case expects nothing of fails the case, as an
    /// unexpected finding does: `airlock check` would exit 2 on it.
    func testAnUnexpectedErrorFailsTheCase() throws {
        let result = try run(policyTest("""
              - name: one of two has no replicas
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: d}
                  spec: {replicas: 1}
                  ---
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: e}
                  spec: {}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}
              - name: large
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail}

            """), policies: policies.components(separatedBy: "---")[0])
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:6:5: t/one of two has no replicas: unexpected error of few-replicas on default/Deployment/e: few-replicas: validations[0]: no such key: replicas",
        ])
        XCTAssertTrue(result.stdout.contains("1 passed, 1 failed"), result.stdout)
    }

    /// A test file or policy file given in place of a folder is an error that names the folder.
    func testAFileGivenForAFolderNamesTheFolder() throws {
        let folder = try temporaryFolder(self)
        let tests = folder.appendingPathComponent("pack/tests")
        try FileManager.default.createDirectory(at: tests, withIntermediateDirectories: true)
        try Data(policies.utf8).write(to: folder.appendingPathComponent("pack/p.yaml"))
        try Data("apiVersion: airlock.dev/v1\nkind: PolicyTest\n".utf8).write(to: tests.appendingPathComponent("t.yaml"))
        let result = try airlock(["policy", "test", tests.appendingPathComponent("t.yaml").path, folder.appendingPathComponent("pack/p.yaml").path])
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr.replacingOccurrences(of: folder.path, with: "F").split(separator: "\n"), [
            "F/pack/tests/t.yaml:1:1: error: policy test takes policy folders, whose tests/ folders hold the test files, not a file: give F/pack",
            "F/pack/p.yaml:1:1: error: policy test takes policy folders, whose tests/ folders hold the test files, not a file: give F/pack",
        ])
        XCTAssertEqual(result.stdout, "")
    }

    /// Two cases of few-replicas, one passing and one failing.
    private let fewAndManyCases = """
          - name: few
            resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
            expect:
            - {rule: few-replicas, resource: default/Deployment/d, result: pass}
          - name: many
            resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
            expect:
            - {rule: few-replicas, resource: default/Deployment/d, result: fail}

        """

    /// A case of the rule `broken`, which does not load.
    private let brokenCase = """
          - name: broken
            resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
            expect:
            - {rule: broken, resource: default/Deployment/d, result: fail}

        """

    /// A policy that cannot be loaded fails the command (exit 2) and its cases, while the cases
    /// of the policies that did load still run and are reported; the summary counts the errors.
    func testTheTestsOfLoadedPoliciesRunBesideOneThatDidNotLoad() throws {
        let broken = policies.components(separatedBy: "---")[0]
            .replacingOccurrences(of: "few-replicas", with: "broken").replacingOccurrences(of: "severity: low", with: "severity: lwo")
        let result = try run(policyTest(fewAndManyCases + brokenCase), policies: policies.components(separatedBy: "---")[0] + "---\n" + broken)
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr, "F/p.yaml:17:13: error: spec.severity is \"lwo\"; expected one of: info, low, medium, high, critical\n")
        XCTAssertEqual(result.stdout, """
            FAIL F/tests/t.yaml:17:7: t/broken: no policy broken is loaded
            2 passed, 1 failed, 1 error (policies or tests not loaded)

            """)
    }

    /// A policy whose expression does not compile did not load either, as `check` reads it: the
    /// error is at its place on standard error and fails the command (exit 2). It was reported
    /// only inside the FAIL line of a case naming the policy, with exit 1, and not at all without
    /// such a case (only "no passing example").
    func testAPolicyWhoseExpressionDoesNotCompileIsAnError() throws {
        let broken = policies.components(separatedBy: "---")[0]
            .replacingOccurrences(of: "few-replicas", with: "broken").replacingOccurrences(of: "replicas < 3", with: "replicas.sizee() < 3")
        let error = "F/p.yaml:21:38: error: broken: undeclared reference to 'sizee' (unknown function); did you mean size?\n"
        let withCase = try run(policyTest(fewAndManyCases + brokenCase), policies: policies.components(separatedBy: "---")[0] + "---\n" + broken)
        XCTAssertEqual(withCase.exitCode, 2, withCase.stdout + withCase.stderr)
        XCTAssertEqual(withCase.stderr, error)
        XCTAssertEqual(withCase.stdout, """
            FAIL F/tests/t.yaml:17:7: t/broken: no policy broken is loaded
            2 passed, 1 failed, 1 error (policies or tests not loaded)

            """)
        let withoutCase = try run(policyTest(fewAndManyCases), policies: policies.components(separatedBy: "---")[0] + "---\n" + broken)
        XCTAssertEqual(withoutCase.exitCode, 2, withoutCase.stdout + withoutCase.stderr)
        XCTAssertEqual(withoutCase.stderr, error)
        XCTAssertEqual(withoutCase.stdout, "2 passed, 0 failed, 1 error (policies or tests not loaded)\n")
    }

    /// Each error of an expression is one error of the command, at its place.
    func testEachErrorOfAnExpressionIsReported() throws {
        let broken = policies.components(separatedBy: "---")[0].replacingOccurrences(
            of: "object.spec.replicas < 3", with: "object.metadata.name.startWith('x') || sizee(object.spec.containers) > 0")
        let result = try run(policyTest(fewAndManyCases), policies: broken)
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr, """
            F/p.yaml:10:38: error: few-replicas: undeclared reference to 'startWith' (unknown function); did you mean startsWith?
            F/p.yaml:10:56: error: few-replicas: undeclared reference to 'sizee' (unknown function); did you mean size?

            """)
        XCTAssertEqual(result.stdout, """
            FAIL F/tests/t.yaml:9:7: t/few: no policy few-replicas is loaded
            FAIL F/tests/t.yaml:13:7: t/many: no policy few-replicas is loaded
            0 passed, 2 failed, 2 errors (policies or tests not loaded)

            """)
    }

    /// A folder that does not exist is one error, not one of the policies' loader and one of
    /// the search for test files.
    /// Cases run in parallel and are reported in the order the file gives them.
    func testFailuresAreReportedInTheOrderOfTheCases() throws {
        let cases = (0..<40).map { index in
            """
              - name: case \(index)
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d\(index)}\\nspec: {replicas: \(index % 5)}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d\(index), result: \(index == 0 ? "fail" : "pass")}

            """
        }
        let fewReplicas = String(policies[..<policies.range(of: "---")!.lowerBound])
        let result = try run(policyTest(cases.joined()), policies: fewReplicas)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        let failed = result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.map { $0.split(separator: ":")[3] }
        let expected = [0] + (1..<40).filter { $0 % 5 >= 3 }
        XCTAssertEqual(failed, expected.map { " t/case \($0)" })
        XCTAssertTrue(result.stdout.contains("\(40 - expected.count) passed, \(expected.count) failed"), result.stdout)
    }

    func testAMissingFolderIsOneError() throws {
        let folder = try temporaryFolder(self)
        let result = try airlock(["policy", "test", "absent"], directory: folder)
        XCTAssertEqual(result.exitCode, 2, result.stdout + result.stderr)
        XCTAssertEqual(result.stderr, "absent:1:1: error: no such policy file or directory\n")
    }

    /// On an object, a finding that no `fail` expectation of its rule and object describes fails
    /// the case: one that gives places lists them all. One without a place describes any finding.
    func testAFindingOfAnObjectThatNoExpectationDescribesFailsTheCase() throws {
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: no-latest}
            spec:
              category: general
              severity: low
              title: No latest images
              match: {kinds: [Pod]}
              validations:
              - {forEach: object.spec.containers, as: c, expression: "!c.image.endsWith(':latest')", message: latest, path: image}

            """
        func test(_ expectations: String) -> String {
            """
            apiVersion: airlock.dev/v1
            kind: PolicyTest
            metadata: {name: t}
            spec:
              cases:
              - name: two latest images
                resources: |
                  apiVersion: v1
                  kind: Pod
                  metadata: {name: p}
                  spec:
                    containers:
                    - {name: a, image: "a:latest"}
                    - {name: b, image: "b:latest"}
                expect:
            \(expectations)
              - name: a pinned image
                resources: "apiVersion: v1\\nkind: Pod\\nmetadata: {name: q}\\nspec: {containers: [{name: a, image: 'a:1'}]}\\n"
                expect:
                - {rule: no-latest, resource: default/Pod/q, result: pass}

            """
        }
        let one = try run(test("    - {rule: no-latest, resource: default/Pod/p, result: fail, line: 6, column: 22}"), policies: policy)
        XCTAssertEqual(one.exitCode, 1, one.stdout + one.stderr)
        XCTAssertEqual(one.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:6:5: t/two latest images: unexpected finding of no-latest on default/Pod/p at 7:22: latest",
        ])
        let both = try run(test("""
                - {rule: no-latest, resource: default/Pod/p, result: fail, line: 6, column: 22}
                - {rule: no-latest, resource: default/Pod/p, result: fail, line: 7, column: 22}
            """), policies: policy)
        XCTAssertEqual(both.exitCode, 0, both.stdout + both.stderr)
        let any = try run(test("    - {rule: no-latest, resource: default/Pod/p, result: fail}"), policies: policy)
        XCTAssertEqual(any.exitCode, 0, any.stdout + any.stderr)
    }

    /// An expected evaluation error is held to the expectation's place and message as a finding
    /// is: an error elsewhere, or saying something else, fails the case.
    func testAnExpectedErrorIsCheckedAtItsPlaceAndMessage() throws {
        func expectError(_ detail: String) -> String {
            """
            apiVersion: airlock.dev/v1
            kind: PolicyTest
            metadata: {name: t}
            spec:
              cases:
              - name: no replicas
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {name: e}
                  spec: {}
                expect:
                - {rule: few-replicas, resource: default/Deployment/e, result: error\(detail)}
              - name: large
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail}
              - name: small
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}

            """
        }
        let policy = policies.components(separatedBy: "---")[0]
        let right = try run(expectError(", line: 4, column: 7, message: \"no such key: replicas\""), policies: policy)
        XCTAssertEqual(right.exitCode, 0, right.stdout + right.stderr)
        let wrong = try run(expectError(", line: 3, message: \"division by zero\""), policies: policy)
        XCTAssertEqual(wrong.exitCode, 1, wrong.stdout + wrong.stderr)
        XCTAssertEqual(wrong.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:13:7: t/no replicas: few-replicas on default/Deployment/e: expected an evaluation error at 3:* with a message containing \"division by zero\", got 4:7: few-replicas: validations[0]: no such key: replicas",
        ])
    }

    /// A finding in a case's inline `values` is at its place in the test file, which the variants
    /// that move the `resources` text down (under a helm template header) do not move: an
    /// expectation of that place holds in every variant, and a wrong one names both places as
    /// written.
    func testAPlaceInTheInlineValuesIsNotMovedByTheVariants() throws {
        let policy = """
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: registry-local}
            spec:
              category: registry-locality
              severity: high
              title: The values name the local registry
              target: values
              validations:
              - expression: object.global.registry == 'registry.local'
                path: global.registry

            """
        func test(_ place: String) -> String {
            """
            apiVersion: airlock.dev/v1
            kind: PolicyTest
            metadata: {name: t}
            spec:
              cases:
              - name: public
                values: {global: {registry: docker.io}}
                resources: ""
                expect:
                - {rule: registry-local, resource: values, result: fail, \(place)}
              - name: local
                values: {global: {registry: registry.local}}
                resources: ""
                expect:
                - {rule: registry-local, resource: values, result: pass}

            """
        }
        let right = try run(test("line: 7, column: 33"), policies: policy)
        XCTAssertEqual(right.exitCode, 0, right.stdout + right.stderr)
        let wrong = try run(test("line: 8, column: 33"), policies: policy)
        XCTAssertEqual(wrong.exitCode, 1, wrong.stdout + wrong.stderr)
        XCTAssertEqual(wrong.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:10:7: t/public: registry-local on values: expected a finding at 8:33, got 7:33: The values name the local registry",
        ])
    }

    /// A ValidatingAdmissionPolicy's params are the case's mapping as written: its keys in their
    /// order, and an empty mapping an empty map (as from --param-file).
    func testAdmissionParamsKeepTheirOrder() throws {
        let policy = """
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: keys.example.com}
            spec:
              paramKind: {apiVersion: v1, kind: ConfigMap}
              matchConstraints:
                resourceRules:
                - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [configmaps]}
              validations:
              - expression: "params.map(k, k).join(',') == object.data.want"

            """
        let result = try run(policyTest("""
              - name: ordered
                resources: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c}\\ndata: {want: 'zeta,alpha'}\\n"
                params: {keys.example.com: {zeta: 1, alpha: 2}}
                expect:
                - {rule: keys.example.com, resource: default/ConfigMap/c, result: pass}
              - name: empty
                resources: "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: c}\\ndata: {want: 'x'}\\n"
                params: {keys.example.com: {}}
                expect:
                - {rule: keys.example.com, resource: default/ConfigMap/c, result: fail}

            """), policies: policy)
        XCTAssertEqual(result.exitCode, 0, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains("2 passed, 0 failed"), result.stdout)
    }

    /// Malformed resources in a `resources: |` block are placed in the test file (this one where
    /// the text ends, before the closing brace libyaml looks for); a position that is not a whole
    /// number is an error of the test file, not a wildcard.
    /// Params for a rule the case does not run (or written without the rule's id around them)
    /// would apply to nothing: the case fails, saying so.
    func testParamsForNoRuleOfTheCaseFail() throws {
        let result = try run(policyTest("""
              - name: unwrapped
                params: {maxReplicas: 5}
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}

            """))
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertTrue(result.stdout.contains(
            "FAIL F/tests/t.yaml:6:5: t/unwrapped: params names maxReplicas, which is no rule this case's expectations run (params are given per rule: {RULE: {PARAM: VALUE}})"),
            result.stdout)
    }

    /// A case's param the policy does not have, or of another shape than its default, is the
    /// case's mistake: it is placed in the test file, at the param's name or value. It was
    /// placed at line 1 of the policy, which has nothing wrong.
    func testAParamOfACaseThatThePolicyRefusesIsPlacedInTheTestFile() throws {
        let policy = policies.components(separatedBy: "---")[0]
            .replacingOccurrences(of: "replicas < 3", with: "replicas <= params.max").replacingOccurrences(of: "  validations:", with: "  params: {max: 2}\n  validations:")
        let result = try run(policyTest("""
              - name: misspelt
                params: {few-replicas: {maximum: 5}}
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}
              - name: text
                params: {few-replicas: {max: five}}
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}

            """), policies: policy)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }, [
            "FAIL F/tests/t.yaml:6:5: t/misspelt: params: F/tests/t.yaml:7:29: policy few-replicas has no param \"maximum\" (it has: max)",
            "FAIL F/tests/t.yaml:11:5: t/text: params: F/tests/t.yaml:12:34: param max of policy few-replicas must be a number, as its default is; found a string",
            "FAIL F/p.yaml:1:1: few-replicas: no failing example in the tests",
        ])
    }

    /// A case's param of the right shape that an expression cannot compile with (a regex) is the
    /// case's mistake too, placed at its value: it was placed at the policy's expression.
    func testAParamOfACaseThatAnExpressionCannotUseIsPlacedInTheTestFile() throws {
        let policy = policies.components(separatedBy: "---")[0]
            .replacingOccurrences(of: "object.spec.replicas < 3", with: "object.metadata.name.matches(params.pattern)")
            .replacingOccurrences(of: "  validations:", with: "  params: {pattern: '^d$'}\n  validations:")
        let result = try run(policyTest("""
              - name: regex
                params: {few-replicas: {pattern: "(["}}
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 1}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}

            """), policies: policy)
        XCTAssertEqual(result.exitCode, 1, result.stdout + result.stderr)
        XCTAssertEqual(result.stdout.split(separator: "\n").filter { $0.hasPrefix("FAIL") }.first,
            "FAIL F/tests/t.yaml:6:5: t/regex: policy: F/tests/t.yaml:7:38: param pattern of policy few-replicas: invalid regex '([': missing terminating ] for character class at offset 2")
    }

    func testErrorsArePlacedInTheTestFile() throws {
        let broken = try run(policyTest("""
              - name: broken
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment

                  metadata: {name: d, labels: {a: b}
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: pass}

            """))
        XCTAssertEqual(broken.exitCode, 1, broken.stdout + broken.stderr)
        XCTAssertTrue(broken.stdout.contains("FAIL F/tests/t.yaml:6:5: t/broken: resources: F/tests/t.yaml:12:7: malformed YAML: "), broken.stdout)

        let nameless = try run(policyTest("""
              - name: nameless
                resources: |
                  apiVersion: apps/v1
                  kind: Deployment
                  metadata: {namespace: x}
                expect:
                - {rule: few-replicas, resource: x/Deployment/d, result: pass}

            """))
        XCTAssertTrue(nameless.stdout.contains("FAIL F/tests/t.yaml:6:5: t/nameless: resources: F/tests/t.yaml:10:17: Deployment has no metadata.name"), nameless.stdout)

        let positions = try run(policyTest("""
              - name: positions
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, result: fail, line: "1", column: 0}
                - {rule: few-replicas, resource: default/Deployment/d, result: fail, line: null}
                - {rule: few-replicas, resource: default/Deployment/d, result: fali}

            """))
        XCTAssertEqual(positions.exitCode, 2, positions.stdout + positions.stderr)
        XCTAssertEqual(positions.stderr.split(separator: "\n").map(String.init), [
            "F/tests/t.yaml:9:80: error: spec.cases[].expect[].line must be a whole number of at least 1",
            "F/tests/t.yaml:9:93: error: spec.cases[].expect[].column must be a whole number of at least 1",
            "F/tests/t.yaml:10:80: error: spec.cases[].expect[].line must be a whole number of at least 1",
            "F/tests/t.yaml:11:68: error: spec.cases[].expect[].result is \"fali\"; expected one of: pass, fail, error",
        ])

        // An expectation without a result was dropped, and a case of only such passed whatever
        // its rule found; a place or text on a pass, which has no finding, was never checked.
        let vacuous = try run(policyTest("""
              - name: vacuous
                resources: "apiVersion: apps/v1\\nkind: Deployment\\nmetadata: {name: d}\\nspec: {replicas: 5}\\n"
                expect:
                - {rule: few-replicas, resource: default/Deployment/d, line: 4}
                - {rule: few-replicas, resource: default/Deployment/d, result: pass, line: 4, column: 7, message: many}

            """))
        XCTAssertEqual(vacuous.exitCode, 2, vacuous.stdout + vacuous.stderr)
        XCTAssertEqual(vacuous.stderr.split(separator: "\n").map(String.init), [
            "F/tests/t.yaml:9:7: error: spec.cases[].expect[].result is required",
            "F/tests/t.yaml:10:80: error: spec.cases[].expect[].line places a finding or an error, which a pass has none of: expect fail or error, or leave it out",
            "F/tests/t.yaml:10:91: error: spec.cases[].expect[].column places a finding or an error, which a pass has none of: expect fail or error, or leave it out",
            "F/tests/t.yaml:10:103: error: spec.cases[].expect[].message is the text of a finding or an error, which a pass has none of: expect fail or error, or leave it out",
        ])
    }

    /// `policy explain` says which objects a resource rule applies to, and at which tiers.
    func testExplainSaysWhatARuleAppliesTo() throws {
        let pinned = try airlock(["policy", "explain", "image-pinned"])
        XCTAssertEqual(pinned.exitCode, 0, pinned.stderr)
        XCTAssertTrue(pinned.stdout.contains("""
            target: resource
            applies to: Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, every custom resource, \
            except image.toolkit.fluxcd.io/*/ImageRepository
            defined at:
            """), pinned.stdout)
        let hostNetwork = try airlock(["policy", "explain", "no-host-network"])
        XCTAssertTrue(hostNetwork.stdout.contains("every custom resource\ntiers: edge, datacenter\n"), hostNetwork.stdout)
        let values = try airlock(["policy", "explain", "values-tier-known"])
        XCTAssertTrue(values.stdout.contains("target: values\ndefined at:"), values.stdout)
        let registry = try airlock(["policy", "explain", "image-registry-allowed", "--param", "image-registry-allowed.registries=[\"harbor.local\"]"])
        XCTAssertTrue(registry.stdout.contains("\nparams: {\"registries\": [\"harbor.local\"]}\nvariable containers: containers(object)\n"), registry.stdout)
        XCTAssertTrue(registry.stdout.contains("  for each holder in: variables.imageHolders\n  messageExpression: 'invalid image reference"), registry.stdout)
        XCTAssertTrue(registry.stdout.contains("\n  path: image\n"), registry.stdout)
        // The last validations are the image volumes', at their reference.
        XCTAssertTrue(registry.stdout.hasSuffix("\n  path: reference\n"), registry.stdout)
        let misspelt = try airlock(["policy", "explain", "image-pined"])
        XCTAssertEqual(misspelt.exitCode, 2)
        XCTAssertEqual(misspelt.stderr, "airlock: error: no rule with id \"image-pined\"; did you mean image-pinned? (see airlock policy list)\n")
        // An admission policy applies to the resources of its resource rules (a Kyverno Pod
        // policy to the pod controllers too), as kubectl names them.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-explain-\(UUID().uuidString).yaml")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        try Data("""
            apiVersion: policies.kyverno.io/v1
            kind: ValidatingPolicy
            metadata: {name: p}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}]
              autogen: {podControllers: {controllers: [deployments]}}
              validations: [{expression: "true", fieldPath: "metadata.labels['app.kubernetes.io/name']"}]
            """.utf8).write(to: file)
        let admission = try airlock(["policy", "explain", "p", "--no-builtin", "--policies", file.path])
        XCTAssertTrue(admission.stdout.contains("applies to: pods, deployments.apps\n"), admission.stdout + admission.stderr)
        // A key holding dots is written as a path reads it back, not cut into more keys.
        XCTAssertTrue(admission.stdout.hasSuffix("\n  path: metadata.labels['app.kubernetes.io/name']\n"), admission.stdout)
    }

    /// What a rule applies to is its kinds and also the namespaces and selectors that narrow
    /// them, as its match writes them: a rule limited to some namespaces does not read as one on
    /// every Deployment.
    func testExplainSaysWhichNamespacesAndLabelsARuleAppliesTo() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-explain-\(UUID().uuidString).yaml")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: team-replicas}
            spec:
              category: general
              severity: low
              title: Few replicas
              match:
                kinds: [Deployment]
                namespaces: [team-a, team-b]
                excludeNamespaces: [team-b]
                namespaceSelector:
                  matchLabels: {team: a}
                  matchExpressions:
                  - {key: classification, operator: In, values: [secret, top-secret]}
                  - {key: legacy, operator: DoesNotExist}
                objectSelector: {matchExpressions: [{key: tier, operator: NotIn, values: [test]}, {key: app, operator: Exists}]}
              validations: [{expression: "object.spec.replicas < 3"}]
            ---
            apiVersion: admissionregistration.k8s.io/v1
            kind: ValidatingAdmissionPolicy
            metadata: {name: replicas.example.com}
            spec:
              matchConstraints:
                resourceRules: [{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}]
                objectSelector: {matchLabels: {app: web}}
              validations: [{expression: "true"}]
            """.utf8).write(to: file)
        let rule = try airlock(["policy", "explain", "team-replicas", "--no-builtin", "--policies", file.path])
        XCTAssertTrue(rule.stdout.contains("""
            applies to: Deployment
            namespaces: team-a, team-b
            except namespaces: team-b
            namespace labels: team=a, classification in (secret, top-secret), !legacy
            object labels: tier notin (test), app
            defined at:
            """), rule.stdout + rule.stderr)
        let admission = try airlock(["policy", "explain", "replicas.example.com", "--no-builtin", "--policies", file.path])
        XCTAssertTrue(admission.stdout.contains("applies to: deployments.apps\nobject labels: app=web\ndefined at:"), admission.stdout + admission.stderr)
    }

    /// A validation's `path` stands when its `pathExpression` fails or gives no path: explain
    /// prints both.
    func testExplainPrintsAPathBesideAPathExpression() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-explain-\(UUID().uuidString).yaml")
        addTeardownBlock { try? FileManager.default.removeItem(at: file) }
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: labelled}
            spec:
              category: general
              severity: low
              title: Labelled
              params: {keys: [team]}
              validations:
              - expression: params.keys.all(k, k in object.metadata.labels)
                pathExpression: "['metadata', 'labels', params.keys.filter(k, !(k in object.metadata.labels))[0]]"
                path: metadata.labels
            """.utf8).write(to: file)
        let rule = try airlock(["policy", "explain", "labelled", "--no-builtin", "--policies", file.path])
        XCTAssertTrue(rule.stdout.hasSuffix("""
              pathExpression: ['metadata', 'labels', params.keys.filter(k, !(k in object.metadata.labels))[0]]
              path: metadata.labels

            """), rule.stdout + rule.stderr)
    }
}
