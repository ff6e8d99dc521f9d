// libFuzzer target: SPDX license expression parsing.
import AirlockCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSPDX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let expression = try? SPDXExpression(text) {
        _ = expression.description
    }
    _ = SPDXExpression.isValid(text)
    return 0
}
