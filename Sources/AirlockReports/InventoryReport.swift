import AirlockCore
import Foundation

/// `airlock inventory` as a table: one row per (namespace, kind) with its count. Names are made
/// safe for the terminal as in the text report (`TextSanitizer.terminal`): a kind or namespace
/// from a manifest can neither break the table's lines nor send escape sequences.
public enum InventoryTable {
    public static func render(_ inventory: Inventory) -> String {
        var counts: [Row: Int] = [:]
        for resource in inventory.resources {
            counts[Row(namespace: resource.namespace.isEmpty ? "(cluster)" : resource.namespace, kind: resource.kind), default: 0] += 1
        }
        let rows = counts.keys.sorted { ($0.namespace, $0.kind) < ($1.namespace, $1.kind) }
        let shown = rows.map { (namespace: TextSanitizer.terminal($0.namespace), kind: TextSanitizer.terminal($0.kind), count: counts[$0] ?? 0) }
        let namespaceWidth = max("NAMESPACE".count, shown.map(\.namespace.count).max() ?? 0)
        let kindWidth = max("KIND".count, shown.map(\.kind.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var output = "\(pad("NAMESPACE", namespaceWidth))  \(pad("KIND", kindWidth))  COUNT\n"
        for row in shown {
            output += "\(pad(row.namespace, namespaceWidth))  \(pad(row.kind, kindWidth))  \(row.count)\n"
        }
        let namespaces = inventory.namespaces.filter { !$0.isEmpty }.count
        output += "\(TextReporter.plural(inventory.count, "resource")) in \(TextReporter.plural(namespaces, "namespace")), \(TextReporter.plural(inventory.kinds.count, "kind"))\n"
        return output
    }

    private struct Row: Hashable {
        var namespace: String
        var kind: String
    }
}

/// `airlock inventory --format json`: every resource with its provenance.
public enum InventoryJSON {
    struct Document: Encodable {
        var schemaVersion = "1"
        var resources: [Entry]
        var errors: [Diagnostic]
    }

    struct Entry: Encodable {
        var apiVersion: String
        var kind: String
        var namespace: String
        var name: String
        var labels: [String: String]
        var file: String
        var documentIndex: Int
        var line: Int
        var column: Int
        var helmSource: String?
    }

    public static func render(_ inventory: Inventory, diagnostics: [Diagnostic]) throws -> String {
        let entries = inventory.resources.map { resource in
            Entry(
                apiVersion: resource.apiVersion, kind: resource.kind, namespace: resource.namespace, name: resource.name,
                labels: resource.labels, file: resource.provenance.file, documentIndex: resource.provenance.documentIndex,
                line: resource.provenance.line, column: resource.provenance.column, helmSource: resource.provenance.helmSource)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(Document(resources: entries, errors: diagnostics)), as: UTF8.self)
    }
}
