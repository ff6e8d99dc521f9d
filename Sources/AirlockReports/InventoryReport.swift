import AirlockCore
import Foundation

/// `airlock inventory` as a table: one row per (namespace, kind) with its count. Names are made
/// safe for the terminal as in the text report (`TextSanitizer.terminal`): a kind or namespace
/// from a manifest can neither break the table's lines nor send escape sequences. They are
/// bounded as in findings (`ResourceRef.fieldLimit`), and a column is padded to at most
/// `widestPadded` characters: a longer entry widens its own row only (one 1 MiB namespace
/// padded every row of the table to 1 MiB).
public enum InventoryTable {
    /// Kubernetes' longest namespace (a DNS-1123 label).
    static let widestPadded = 63

    public static func render(_ inventory: Inventory) -> String {
        var counts: [Row: Int] = [:]
        for resource in inventory.resources {
            let ref = resource.ref
            counts[Row(namespace: ref.namespace.isEmpty ? "(cluster)" : ref.namespace, kind: ref.kind), default: 0] += 1
        }
        let rows = counts.keys.sorted { ($0.namespace, $0.kind) < ($1.namespace, $1.kind) }
        let shown = rows.map { (namespace: TextSanitizer.terminal($0.namespace), kind: TextSanitizer.terminal($0.kind), count: counts[$0] ?? 0) }
        let namespaceWidth = max("NAMESPACE".count, min(shown.map(\.namespace.count).max() ?? 0, widestPadded))
        let kindWidth = max("KIND".count, min(shown.map(\.kind.count).max() ?? 0, widestPadded))
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

/// `airlock inventory --format json`: every resource with its provenance, and the errors of
/// reading the inputs in the shape of the JSON report's `diagnostics` (docs/reports.md).
public enum InventoryJSON {
    /// The document, each resource's entry made as it is written: no entry and no text of the
    /// whole document is held, only the writer's 64 KiB piece.
    struct Document: JSONWritable {
        var inventory: Inventory
        var errors: [JSONReportDocument.DiagnosticEntry]
        var relative: (String) -> String

        func write(to json: inout JSONWriter) {
            json.object { json in
                json.member("errors", errors)
                json.member("resources", Entries(resources: inventory.resources, relative: relative))
                json.member("schemaVersion", "1")
            }
        }
    }

    /// The resources as an array, each file named once as `relative` gives it (input order keeps
    /// a file's resources together).
    struct Entries: JSONWritable {
        var resources: [Resource]
        var relative: (String) -> String

        func write(to json: inout JSONWriter) {
            var file: (path: String, relative: String)?
            json.array(resources.lazy.map { resource in
                let path = resource.provenance.file
                if file?.path != path { file = (path, relative(path)) }
                return Entry(resource: resource, file: file?.relative ?? path)
            })
        }
    }

    struct Entry: JSONWritable {
        var resource: Resource
        var file: String

        func write(to json: inout JSONWriter) {
            let provenance = resource.provenance
            json.object { json in
                json.member("apiVersion", resource.apiVersion)
                json.member("column", provenance.column)
                json.member("documentIndex", provenance.documentIndex)
                json.member("file", file)
                json.member("helmSource", ifPresent: provenance.helmSource)
                json.member("kind", resource.kind)
                json.member("labels", resource.labels)
                json.member("line", provenance.line)
                json.member("name", resource.name)
                json.member("namespace", resource.namespace)
            }
        }
    }

    /// Writes the document to `sink`, with every resource's file named as `relative` gives it
    /// (relative to the working folder, as the reports name files; `diagnostics` are written as
    /// they name theirs).
    public static func write<Sink: TextOutputStream>(
        _ inventory: Inventory, diagnostics: [Diagnostic], relative: @escaping (String) -> String, to sink: inout Sink
    ) {
        JSONWriter.write(Document(inventory: inventory, errors: diagnostics.map(JSONReportDocument.DiagnosticEntry.init), relative: relative), to: &sink)
    }
}
