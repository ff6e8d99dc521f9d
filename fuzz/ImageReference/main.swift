// libFuzzer target: ImageReference(parsing:); a parsed reference must describe itself again.
import AirlockCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImageReference(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let reference = try? ImageReference(parsing: text) {
        _ = String(describing: reference)
        _ = reference.hashValue
    }
    return 0
}
