import Foundation
import XCTest

/// The values rules on a tenant list of thousands: what they look across all tenants for stays
/// within the CEL cost limit.
final class TenantScaleTests: XCTestCase {
    /// A repeated name among 6,000 tenants is a finding at the repeat, not a cost-limit error
    /// (comparing each tenant with those before it went over the limit).
    func testARepeatedNameAmongThousandsOfTenantsIsFound() throws {
        let tenant = "quota: {cpu: '1', memory: 1Gi, gpu: '0', pvcs: '1', pods: '1'}, budget: {tokens: 1, cost: '$1.00', concurrency: 1}"
        let names = (0..<6000).map { "team-\($0)" } + ["team-17"]
        let values = "tenants:\n" + names.map { "- {name: \($0), \(tenant)}\n" }.joined()
        let folder = try temporaryFolder(self)
        try Data(values.utf8).write(to: folder.appendingPathComponent("values.yaml"))
        let result = try airlock(["check", "--allow-empty", "--values", "values.yaml", "--tier", "edge", "--no-builtin",
                                  "--policies", packageRoot.appendingPathComponent("policies/values/values-tenants-valid.yaml").path],
                                 directory: folder)
        XCTAssertEqual(result.exitCode, 1, result.stderr)
        XCTAssertTrue(result.stdout.contains("values.yaml:6002:10  MEDIUM  values-tenants-valid  -  tenant name team-17 is already used by tenants[17]"), result.stdout)
        XCTAssertFalse(result.stdout.contains("cost limit"), result.stdout)
    }
}
