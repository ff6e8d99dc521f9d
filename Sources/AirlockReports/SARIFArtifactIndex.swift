/// Makes a run's `artifacts` hold every file a location of the run points at (results, their
/// related locations, notifications), not only the files the run read: a finding of the
/// exceptions file or of a file in a bundle folder points at a file that has no hash of its own.
/// Each location's `artifactLocation.index` then names its artifact (SARIF §3.4.5), so that
/// consumers need not match URIs. Artifacts are in URI order (standard input, which has no
/// location, first), each file once.
enum SARIFArtifactIndex {
    /// Sets `run.artifacts` to `read` (the files read, with their hashes) and an artifact for
    /// every other file a location points at, and indexes every location.
    static func index(_ run: inout SARIF.Run, read: [SARIF.Artifact]) {
        var artifacts: [String: SARIF.Artifact] = [:]
        var standardInput: [SARIF.Artifact] = []
        for artifact in read {
            guard let location = artifact.location else { standardInput.append(artifact); continue }
            artifacts[key(location)] = artifacts[key(location)] ?? artifact
        }
        forEachArtifactLocation(in: &run) { location in
            if artifacts[key(location)] == nil {
                artifacts[key(location)] = SARIF.Artifact(location: .init(uri: location.uri, uriBaseId: location.uriBaseId))
            }
        }
        let ordered = artifacts.sorted { $0.key < $1.key }
        let indexes = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1.key, standardInput.count + $0) })
        run.artifacts = standardInput + ordered.map(\.value)
        forEachArtifactLocation(in: &run) { $0.index = indexes[key($0)] }
    }

    /// The URI then its base: equal keys name the same file.
    private static func key(_ location: SARIF.ArtifactLocation) -> String {
        (location.uri ?? "") + "\u{0}" + (location.uriBaseId ?? "")
    }

    private static func forEachArtifactLocation(in run: inout SARIF.Run, _ body: (inout SARIF.ArtifactLocation) -> Void) {
        func visit(_ locations: inout [SARIF.Location]) {
            for index in locations.indices where locations[index].physicalLocation != nil {
                body(&locations[index].physicalLocation!.artifactLocation)
            }
        }
        func visit(_ notifications: inout [SARIF.Notification]) {
            for index in notifications.indices where notifications[index].locations != nil { visit(&notifications[index].locations!) }
        }
        for index in run.results.indices {
            visit(&run.results[index].locations)
            if run.results[index].relatedLocations != nil { visit(&run.results[index].relatedLocations!) }
        }
        for index in run.invocations.indices {
            visit(&run.invocations[index].toolExecutionNotifications)
            if run.invocations[index].toolConfigurationNotifications != nil { visit(&run.invocations[index].toolConfigurationNotifications!) }
        }
    }
}
