@testable import AirlockCore
import XCTest

final class InventoryTests: XCTestCase {
    /// Thousands of objects (the identity table grows many times), names that differ only in
    /// which field holds a part, and a later object shadowing an earlier one of the same identity.
    func testIdentityLookupsAcrossGrowthAndShadowing() {
        var text = ""
        for index in 0..<3_000 {
            text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c\(index), namespace: ns\(index % 7)}\ndata: {n: \"\(index)\"}\n"
        }
        text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c5, namespace: ns5}\ndata: {n: shadow}\n"
        text += "---\napiVersion: v1\nkind: Secret\nmetadata: {name: c5, namespace: ns5}\n"
        text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ns5, namespace: c5}\n"
        let inventory = inventory(text)
        XCTAssertEqual(inventory.count, 3_003)
        for index in 0..<3_000 where index != 5 {
            let found = inventory.resource(kind: "ConfigMap", namespace: "ns\(index % 7)", name: "c\(index)")
            XCTAssertEqual(found?.node["data"]?["n"]?.string, "\(index)")
        }
        XCTAssertEqual(inventory.resource(kind: "ConfigMap", namespace: "ns5", name: "c5")?.node["data"]?["n"]?.string, "shadow")
        XCTAssertEqual(inventory.resource(kind: "Secret", namespace: "ns5", name: "c5")?.kind, "Secret")
        XCTAssertEqual(inventory.resource(kind: "ConfigMap", namespace: "c5", name: "ns5")?.namespace, "c5")
        XCTAssertNil(inventory.resource(kind: "ConfigMap", namespace: "ns6", name: "c5"))
        XCTAssertNil(inventory.resource(kind: "ConfigMap", namespace: "ns5", name: "c3000"))
        XCTAssertEqual(inventory.resources(kind: "ConfigMap").count, 3_002)
        XCTAssertEqual(inventory.resources(kind: "ConfigMap", namespace: "ns5").count, (0..<3_000).filter { $0 % 7 == 5 }.count + 1)
        XCTAssertEqual(inventory.resources(namespace: "c5").map(\.name), ["ns5"])
    }

    /// Types are numbered as they first appear, runs of one type and types that come back alike;
    /// an apiVersion and kind that would read the same joined stay two types.
    func testTypesNumberedInOrderOfFirstAppearance() {
        let text = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: a1, namespace: ns}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: b1, namespace: ns}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d1, namespace: ns}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: c1, namespace: ns}
            ---
            apiVersion: a.io/v1
            kind: B
            metadata: {name: x1}
            ---
            apiVersion: a.io
            kind: v1 B
            metadata: {name: y1}
            ---
            apiVersion: apps/v2
            kind: Deployment
            metadata: {name: e1, namespace: ns}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: f1, namespace: ns}
            """
        let inventory = inventory(text)
        XCTAssertEqual(inventory.typeCount, 5)
        XCTAssertEqual(inventory.typeRepresentatives.map(\.name), ["a1", "d1", "x1", "y1", "e1"])
        XCTAssertEqual(inventory.resources.indices.map(inventory.type(ofObjectAt:)), [0, 0, 1, 0, 2, 3, 4, 1])
        XCTAssertEqual(Inventory().typeCount, 0)
    }
}
