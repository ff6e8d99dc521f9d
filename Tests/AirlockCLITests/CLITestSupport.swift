import Foundation
import XCTest

/// What one run of the built `airlock` binary did.
struct CommandResult {
    var exitCode: Int32
    var stdout: String
    var stderr: String
}

/// The package root, where testdata/ lives.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Runs the `airlock` binary built next to the test bundle, in `directory` (the package root by
/// default), with `input` on stdin.
func airlock(
    _ arguments: [String], input: String? = nil, environment: [String: String] = [:], directory: URL = packageRoot,
    standardOutput: FileHandle? = nil, standardInput: FileHandle? = nil
) throws -> CommandResult {
    let bundle = Bundle(for: BundleLocator.self).bundleURL
    let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
    let process = Process()
    process.executableURL = products.appendingPathComponent("airlock")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = "1"
    env.merge(environment) { $1 }
    process.environment = env
    let stdout = Pipe()
    let stderr = Pipe()
    let stdin = Pipe()
    process.standardOutput = standardOutput ?? stdout
    process.standardError = stderr
    process.standardInput = standardInput ?? stdin
    try process.run()
    if standardOutput != nil { try stdout.fileHandleForWriting.close() }
    if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return CommandResult(exitCode: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

private final class BundleLocator {}

/// A temporary folder removed after the test.
func temporaryFolder(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("airlock-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A policy every object passes, for runs that test input and output handling without the
/// built-in pack (a run with no rule at all is an error).
let passingPolicy = packageRoot.appendingPathComponent("testdata/policies/every-object-passes.yaml").path
