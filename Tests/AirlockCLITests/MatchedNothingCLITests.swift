import Foundation
import XCTest

/// A misspelt kind in a policy of the user's own: the run still passes (the rule may be meant for
/// objects this input lacks), and the report says that the rule checked nothing and what it may mean.
final class MatchedNothingCLITests: XCTestCase {
    func testAMisspeltKindPassesWithANote() throws {
        let folder = try temporaryFolder(self)
        try Data("""
            apiVersion: airlock.dev/v1
            kind: Policy
            metadata: {name: deployments-have-owner}
            spec:
              category: general
              severity: medium
              title: Deployments name their owner
              match: {kinds: [Deploymnet]}
              validations:
              - expression: has(object.metadata.labels) && 'owner' in object.metadata.labels

            """.utf8).write(to: folder.appendingPathComponent("owner.yaml"))
        try Data("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: a}\n".utf8)
            .write(to: folder.appendingPathComponent("app.yaml"))
        let result = try airlock(["check", "--no-builtin", "--policies", "owner.yaml", "app.yaml"], directory: folder)
        XCTAssertEqual(result.stdout, """
            airlock: note: rule deployments-have-owner evaluated no object: the one object of the inputs is not of its kinds (Deploymnet); did you mean Deployment?

            0 findings in 0 files; 0 suppressed; 0 errors; 1 rule from --policies evaluated no object
            result: passed (exit 0)

            """)
        XCTAssertEqual(result.exitCode, 0)
    }
}
