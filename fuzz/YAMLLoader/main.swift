// libFuzzer target: YAMLLoader.load over arbitrary bytes, with the default limits and with
// tight ones (so the depth, alias and size checks are reached by small inputs). Every document
// kept is read back whole (its documents share one arena, from which failed ones are removed):
// each scalar's text, each mapping key looked up again, positions valid.
import YAMLSource

let tight = YAMLLimits(maxDocumentBytes: 2048, maxDepth: 16, aliasExpansionFactor: 2, aliasExpansionFloor: 64, aliasTextFloor: 256)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAMLLoader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for limits in [YAMLLimits(), tight] {
        let result = YAMLLoader(limits: limits).load(bytes, file: "fuzz.yaml")
        for error in result.errors {
            precondition(error.line >= 1 && error.column >= 1, "error without a position: \(error.message)")
        }
        for document in result.documents { readBack(document.root, budget: 10_000) }
    }
    return 0
}

/// Reads every node under `node` (at most `budget` of them, aliases make the tree a graph).
@discardableResult
func readBack(_ node: YAMLNode, budget: Int) -> Int {
    precondition(node.line >= 1 && node.column >= 1, "node without a position")
    var left = budget - 1
    switch node.kind {
    case .scalar:
        _ = node.text
    case .sequence:
        for index in 0..<node.count where left > 0 { left = readBack(node.item(at: index), budget: left) }
    case .mapping:
        for index in 0..<node.count where left > 0 {
            let (key, value) = node.entry(at: index)
            if let text = key.text { precondition(node[text] != nil, "key \(text) not found again") }
            left = readBack(value, budget: left)
        }
    }
    return left
}
