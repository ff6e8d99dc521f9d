@testable import AirlockCore
import XCTest

final class ServiceAddressesTests: XCTestCase {
    func testNamespacesOfServiceAddressesInOrder() {
        let cases: [String: [String]] = [
            "http://model.team-b.svc:8000/v1": ["team-b"],
            "db.team-b.svc.cluster.local": ["team-b"],
            "db.team-b.svc": ["team-b"],
            "http://db.team-b.svc/x": ["team-b"],
            "a.one.svc,b.two.svc.cluster.local": ["one", "two"],
            "a.one.svc.b.two.svc": ["one", "two"],
            "HTTP://API.Team-B.SVC:80": ["team-b"],
            "x.a1.svc": ["a1"],
            "10-0-0-5.team-b.pod.cluster.local": ["team-b"],
            "postgres://u@10-0-0-5.team-b.pod:5432/db": ["team-b"],
            "fd00--5.team-b.pod": ["team-b"],
            "10-0-0-5.one.pod,db.two.svc": ["one", "two"],
        ]
        for (text, namespaces) in cases {
            XCTAssertEqual(ServiceAddresses.namespaces(in: text), namespaces, text)
        }
    }

    func testTextThatIsNotAServiceAddressNamesNoNamespace() {
        let label63 = String(repeating: "a", count: 63)
        XCTAssertEqual(ServiceAddresses.namespaces(in: "x.\(label63).svc"), [label63])
        for text in [
            "", "production", "team-b.svc", ".svc", "a..svc", "api.team-b.svcs", "api.team-b.svc-x", "api.-team.svc", "api.team-.svc",
            "api.team_b.svc", "api.tëam.svc", "x.\(label63)a.svc", "api.team-b.sv",
            // A pod is named by its address: another first label is not a pod's name.
            "web.team-b.pod", "10-0-0.team-b.pod", "10-0-0-256.team-b.pod", "team-b.pod", ".team-b.pod", "10-0-0-5.team-b.pods",
        ] {
            XCTAssertEqual(ServiceAddresses.namespaces(in: text), [], text)
        }
    }
}
