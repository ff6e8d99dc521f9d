import Foundation
import XCTest
@testable import AirlockCore

/// Image references and tier values found in a bundle's charts and YAML files.
final class BundleReferencedImagesTests: XCTestCase {
    private struct Reference: Equatable, CustomStringConvertible {
        var reference: String
        var file: String
        var line: Int
        var column: Int
        var source: ReferencedImage.Source
        var isTemplated = false

        var description: String { "\(reference) \(file):\(line):\(column) \(source.rawValue)\(isTemplated ? " templated" : "")" }
    }

    private func references(_ facts: BundleFacts) -> [Reference] {
        facts.referencedImages.map {
            Reference(reference: $0.reference, file: $0.file, line: $0.location.line, column: $0.location.column, source: $0.source, isTemplated: $0.isTemplated)
        }
    }

    private func bundle(_ name: String, in folder: TemporaryFolder) throws -> String {
        let entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent(name))
        return try folder.write(TestArchiveWriter.tar(entries, compression: .gzip), to: name + ".tar.gz")
    }

    func testReferencesOfTheGoodBundle() throws {
        let folder = try TemporaryFolder()
        let path = try bundle("airgap-refs-good", in: folder)
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics, [])
        let chart = "charts/ai-platform-1.2.0.tgz!ai-platform/"
        XCTAssertEqual(references(facts), [
            Reference(reference: "postgres:15", file: chart + "templates/deployment.yaml", line: 10, column: 18, source: .chartTemplate),
            Reference(reference: "{{ .Values.inference.image.repository }}:{{ .Values.inference.image.tag }}",
                      file: chart + "templates/deployment.yaml", line: 13, column: 18, source: .chartTemplate, isTemplated: true),
            Reference(reference: "ai-platform/inference:v1.2.0", file: chart + "values.yaml", line: 6, column: 5, source: .chartValues),
            Reference(reference: "registry.local:5000/postgres:15", file: chart + "values.yaml", line: 10, column: 10, source: .chartValues),
            Reference(reference: "registry.local:5000/ai-platform/inference:v1.2.0", file: "manifests/agents.yaml", line: 7, column: 10, source: .manifest),
            Reference(reference: "registry.local:5000/postgres:15", file: "manifests/agents.yaml", line: 22, column: 18, source: .manifest),
        ])
        XCTAssertEqual(facts.referencedImages.first?.location.file,
                       path + "!airgap-bundle-20250104/charts/ai-platform-1.2.0.tgz!ai-platform/templates/deployment.yaml")
        XCTAssertEqual(facts.referencedImages.last?.location.file, path + "!airgap-bundle-20250104/manifests/agents.yaml")

        XCTAssertEqual(facts.valuesFiles.map(\.file), [chart + "values-tenants.yaml", chart + "values-tier1-edge.yaml", chart + "values.yaml"])
        XCTAssertEqual(facts.tierValues.count, 1)
        let tier = try XCTUnwrap(facts.tierValues.first)
        XCTAssertEqual(tier.file, chart + "values-tier1-edge.yaml")
        XCTAssertEqual(tier.displayName, path + "!airgap-bundle-20250104/" + chart + "values-tier1-edge.yaml")
        XCTAssertEqual(tier.mergedFiles, [chart + "values.yaml", chart + "values-tier1-edge.yaml", chart + "values-tenants.yaml"])
        XCTAssertEqual(tier.values.declaredTier, "edge")
        guard case .list(let tenants)? = tier.values.celValue.child("tenants") else { return XCTFail("tenants are merged in") }
        XCTAssertEqual(tenants.count, 3)
        guard case .string(let registry)? = tier.values.celValue.child("global")?.child("registry") else { return XCTFail("chart defaults are merged in") }
        XCTAssertEqual(registry, "registry.local:5000")
    }

    func testTheSameReferencesFromAFolder() throws {
        let folder = try TemporaryFolder()
        let entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        try TestArchiveWriter.writeFolder(entries, to: folder.url.appendingPathComponent("plain"))
        let fromFolder = BundleFacts.read(folder.path("plain"))
        let fromTarball = BundleFacts.read(try bundle("airgap-refs-good", in: folder))
        XCTAssertEqual(fromFolder.diagnostics, [])
        XCTAssertEqual(references(fromFolder), references(fromTarball))
        XCTAssertEqual(fromFolder.referencedImages.last?.location.file, folder.path("plain") + "/airgap-bundle-20250104/manifests/agents.yaml")
        XCTAssertEqual(fromFolder.tierValues.map(\.mergedFiles), fromTarball.tierValues.map(\.mergedFiles))
    }

    func testReferencesOfTheBadBundle() throws {
        let folder = try TemporaryFolder()
        let facts = BundleFacts.read(try bundle("airgap-refs-bad", in: folder))
        XCTAssertEqual(facts.diagnostics, [])
        let chart = "charts/ai-platform-1.2.0.tgz!ai-platform/"
        XCTAssertEqual(references(facts).filter { !$0.isTemplated }.map(\.description), [
            "redis:7 \(chart)templates/deployment.yaml:10:18 chart-template",
            "ai-platform/inference:v1.2.0 \(chart)values.yaml:6:5 chart-values",
            "registry.local:5000/ai-platform/gateway:v1.2.0 \(chart)values.yaml:10:5 chart-values",
            "registry.local:5000/postgres:15 \(chart)values.yaml:14:10 chart-values",
            "registry.local:5000/ai-platform/ui:v1.2.0 manifests/agents.yaml:7:10 manifest",
            "docker.io/library/postgres:15 manifests/agents.yaml:24:18 manifest",
            "busybox:1.36 manifests/agents.yaml:21:18 manifest",
            "neo4j:5 values/values-overrides.yaml:2:10 values",
        ])
    }

    func testHelmImageMapsAndTemplateLines() {
        let values = """
        a:
          image: {registry: quay.io, repository: org/app, tag: 1.0, digest: "sha256:\(String(repeating: "a", count: 64))"}
        b:
          image: {repository: nginx}
        c:
          image: {repository: nginx, tag: ""}
          sidecars:
            - image: busybox
        d:
          image: ""
          nested: {image: {pullPolicy: Always}}
        e:
          image: {name: evil.io/x, tag: "1"}
          more: {image: [evil.io/y:2, {image: evil.io/z:3}]}
        """
        let scanned = BundleYAMLScan.scan(Array(values.utf8), kind: .values, file: "v.yaml", displayName: "b!v.yaml", inChart: false)
        XCTAssertEqual(scanned.diagnostics, [])
        XCTAssertEqual(scanned.images.map { "\($0.reference)@\($0.location.line):\($0.location.column)" }, [
            "quay.io/org/app:1.0@sha256:\(String(repeating: "a", count: 64))@2:10",
            "nginx@4:10", "nginx@6:10", "busybox@8:14", "evil.io/x:1@13:10", "evil.io/y:2@14:18", "evil.io/z:3@14:39",
        ])
        XCTAssertNotNil(scanned.values)

        let template = """
        containers:
          - image: nginx:1.25 # a comment
          -   image:   'quay.io/a/b:2'
            image: >-
        image: {{ .Values.image | quote }}
        # image: commented
        notimage: x
        """
        let lines = BundleYAMLScan.scan(Array(template.utf8), kind: .template, file: "t.yaml", displayName: "b!t.yaml", inChart: true)
        XCTAssertEqual(lines.images.map { "\($0.reference)@\($0.location.line):\($0.location.column) \($0.isTemplated)" }, [
            "nginx:1.25@2:12 false", "quay.io/a/b:2@3:16 false", "{{ .Values.image | quote }}@5:8 true",
        ])
        XCTAssertNil(lines.values)
    }

    /// A key written with escapes (`"imag\x65"`, `"\u0069mage"`) or as an explicit key (`? image`,
    /// then `: value`) is `image` to kubectl: such references were not seen, so an image a chart
    /// pulls from the internet passed as shipped.
    func testTemplateImageKeysWrittenWithEscapesOrAsExplicitKeys() {
        let template = #"""
        containers:
          - name: a
            "imag\x65": docker.io/evil-a:1
          - {name: b, "\u0069mage": "docker.io/evil-b:1"}
          - name: c
            ? image
            : docker.io/evil-c:1
          - name: d
            ? "imag\u0065" # explicit
            # a comment between
            : >-
              docker.io/evil-d:1
          - name: e
            "imagex": not-an-image
            ? imagex
            : not-an-image
        """#
        let lines = BundleYAMLScan.scan(Array(template.utf8), kind: .template, file: "t.yaml", displayName: "b!t.yaml", inChart: true)
        XCTAssertEqual(lines.images.map { "\($0.reference)@\($0.location.line):\($0.location.column)" }, [
            "docker.io/evil-a:1@3:17", "docker.io/evil-b:1@4:29", "docker.io/evil-c:1@7:7", "docker.io/evil-d:1@12:7",
        ])
    }

    /// A value written on the lines below its `image` key is read there (a block scalar, or a
    /// plain scalar folded over lines); a mapping or a sequence below the key is not a reference.
    func testTemplateImageValuesBelowTheirKey() {
        let template = """
        containers:
          - name: a
            image: >-
              registry.local/a:1
          - name: b
            image: # the reference follows

              registry.local/b:2
            ports: []
          - name: c
            image: |+
              {{ .Values.c.image }}
          - name: d
            image:
              repository: registry.local/d
              tag: "4"
          - name: e
            image:
              - registry.local/e:5
          - name: f
            image:
          - name: g
            image:
              # pinned for the air gap
              "registry.local/g:7"
        """
        let scanned = BundleYAMLScan.scan(Array(template.utf8), kind: .template, file: "t.yaml", displayName: "b!t.yaml", inChart: true)
        XCTAssertEqual(scanned.images.map { "\($0.reference)@\($0.location.line):\($0.location.column) \($0.isTemplated)" }, [
            "registry.local/a:1@4:7 false", "registry.local/b:2@8:7 false", "{{ .Values.c.image }}@12:7 true", "registry.local/g:7@25:7 false",
        ])
    }

    /// A template is text as a YAML file is: UTF-16 with a byte order mark is read as UTF-8, and
    /// text that cannot be read is an error at its place, never a template without images.
    func testTemplatesInOtherEncodingsAreReadOrRefused() {
        let text = "\u{FEFF}containers:\n- name: c\n  image: quay.io/evil/x:1\n"
        var utf16: [UInt8] = []
        for unit in text.utf16 { utf16 += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        let read = BundleYAMLScan.scan(utf16, kind: .template, file: "t.yaml", displayName: "b!t.yaml", inChart: true)
        XCTAssertEqual(read.images.map { "\($0.reference)@\($0.location.line):\($0.location.column)" }, ["quay.io/evil/x:1@3:10"])
        XCTAssertEqual(read.diagnostics, [])
        let broken = BundleYAMLScan.scan(Array("image: caf".utf8) + [0xE9] + Array("/x:1\n".utf8), kind: .template, file: "t.yaml", displayName: "b!t.yaml", inChart: true)
        XCTAssertEqual(broken.images.count, 0)
        XCTAssertEqual(broken.diagnostics.map(\.description), ["b!t.yaml:1:11: invalid encoding: byte 0xE9 is not UTF-8 (airlock reads UTF-8 text)"])
    }

    /// Every file of templates/ is scanned, and an `image` key is found wherever it is on a
    /// line: flow collections, JSON, helpers pulled in with `include`.
    func testTemplateImagesInAnyFileAndAnyStyle() {
        XCTAssertEqual(BundleYAMLScan.kind(of: "chart/templates/_helpers.tpl", inChart: true), .template)
        XCTAssertEqual(BundleYAMLScan.kind(of: "chart/templates/deploy.json", inChart: true), .template)
        XCTAssertEqual(BundleYAMLScan.kind(of: "manifests/app.json", inChart: false), .manifests)
        XCTAssertEqual(BundleYAMLScan.kind(of: "values/values-edge.json", inChart: false), .values)
        XCTAssertEqual(BundleYAMLScan.kind(of: "values/Values-Tier1-Edge.yaml", inChart: false), .values)
        XCTAssertEqual(BundleYAMLScan.kind(of: "chart/Values-Tier1-Edge.yaml", inChart: true), .values)
        XCTAssertNil(BundleYAMLScan.kind(of: "docs/image.md", inChart: false))
        XCTAssertEqual(BundleYAMLScan.kind(of: "chart/crds/agents.yaml", inChart: true), .manifests)
        XCTAssertNil(BundleYAMLScan.kind(of: "chart/docs/agents.yaml", inChart: true))
        let template = """
        {{- define "app.sidecar" -}}
          image: helper/x:3
        containers: [{name: c, image: flow/y:4}, {name: d, image: "flow/z:5"}]
            "image": "json/j:6",
        image: "{{ .Values.repo }}:{{ .Values.tag }}"
        myimage: not/a:key
          # image: commented
          image : spaced/s:7
        - {name: "sidecar #1", image: quay.io/after-quoted-hash:8}
        - {name: 'it''s # not a comment', 'image' : single/q:9}
        - {name: "image: in a text", args: ["# no comment"], image: last/l:10} # image: commented/c:1
        """
        let scanned = BundleYAMLScan.scan(Array(template.utf8), kind: .template, file: "t.tpl", displayName: "b!t.tpl", inChart: true)
        XCTAssertEqual(scanned.images.map { "\($0.reference)@\($0.location.line):\($0.location.column)" }, [
            "helper/x:3@2:10", "flow/y:4@3:31", "flow/z:5@3:59", "json/j:6@4:14", "{{ .Values.repo }}:{{ .Values.tag }}@5:8",
            "spaced/s:7@8:11", "quay.io/after-quoted-hash:8@9:31", "single/q:9@10:45", "last/l:10@11:61",
        ])
    }

    /// A custom resource's pod template is not where `containers()` looks: its `image` keys are
    /// read wherever they are.
    func testCustomResourceImagesAreReadAtAnyDepth() {
        let rollout = """
        apiVersion: argoproj.io/v1alpha1
        kind: Rollout
        metadata: {name: r}
        spec:
          template:
            spec:
              containers: [{name: a, image: "rollout:1"}]
        """
        let scanned = BundleYAMLScan.scan(Array(rollout.utf8), kind: .manifests, file: "r.yaml", displayName: "b!r.yaml", inChart: false)
        XCTAssertEqual(scanned.images.map { "\($0.reference)@\($0.location.line):\($0.location.column) \($0.source.rawValue)" }, ["rollout:1@7:37 manifest"])
        // A kind of another group named like a workload keeps its pod templates elsewhere too.
        let volcanoJob = """
        apiVersion: batch.volcano.sh/v1alpha1
        kind: Job
        metadata: {name: finetune}
        spec:
          tasks:
            - name: worker
              template:
                spec:
                  containers: [{name: trainer, image: "trainer:1"}]
        """
        let job = BundleYAMLScan.scan(Array(volcanoJob.utf8), kind: .manifests, file: "j.yaml", displayName: "b!j.yaml", inChart: false)
        XCTAssertEqual(job.images.map { "\($0.reference)@\($0.location.line):\($0.location.column)" }, ["trainer:1@9:47"])
        // A policy engine's `image` keys are patterns to match images against.
        let kyvernoPolicy = """
        apiVersion: kyverno.io/v1
        kind: ClusterPolicy
        metadata: {name: no-latest}
        spec:
          rules:
          - name: no-latest
            validate: {pattern: {spec: {containers: [{image: "!*:latest"}]}}}
        """
        let policy = BundleYAMLScan.scan(Array(kyvernoPolicy.utf8), kind: .manifests, file: "p.yaml", displayName: "b!p.yaml", inChart: false)
        XCTAssertEqual(policy.images.map(\.reference), [])
    }

    func testManifestImagesOfListsCronJobsAndNonObjects() {
        let manifests = """
        apiVersion: v1
        kind: List
        items:
          - apiVersion: v1
            kind: Pod
            metadata: {name: debug}
            spec:
              containers: [{name: a, image: "a:1"}]
              ephemeralContainers: [{name: b, image: "b:1"}]
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly}
        spec:
          jobTemplate:
            spec:
              template:
                spec:
                  containers:
                    - {name: c, image: "c:1"}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: not-a-workload}
        data: {image: "ignored:1"}
        ---
        settings:
          image: "d:1"
        """
        let scanned = BundleYAMLScan.scan(Array(manifests.utf8), kind: .manifests, file: "m.yaml", displayName: "b!m.yaml", inChart: false)
        XCTAssertEqual(scanned.diagnostics, [])
        XCTAssertEqual(scanned.images.map { "\($0.reference)@\($0.location.line):\($0.location.column) \($0.source.rawValue)" }, [
            "a:1@8:37 manifest", "b:1@9:46 manifest", "c:1@20:32 manifest", "d:1@28:10 values",
        ])
        XCTAssertNil(scanned.values, "manifests are not values files")
    }

    func testBrokenValuesFileInsideTheBundleFailsClosed() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier2-datacenter.yaml", "global:\n  tier: [datacenter\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.map { "\($0.location?.file ?? ""):\($0.location?.line ?? 0)" },
                       [path + "!airgap-bundle-20250104/values/values-tier2-datacenter.yaml:3"])
    }

    /// A tier file whose first document is empty holds no values for Helm: the edge settings
    /// after it were checked, and passed, while Helm installed the chart's defaults.
    func testATierFileWithAnEmptyFirstDocumentFailsClosed() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier1-edge.yaml", "---\n---\nglobal:\n  tier: edge\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        XCTAssertEqual(BundleFacts.read(path).diagnostics.map(\.description), [
            path + "!airgap-bundle-20250104/values/values-tier1-edge.yaml:3:1: a values file holds one document; found 2, the first empty (Helm reads only the first)",
        ])
    }

    /// A tier file that is no mapping (a list, a word) cannot be installed with (`helm install -f`
    /// refuses it); merging left it out, so the chart's defaults were checked as the tier's values,
    /// and passed, without a word about the file. Such a file is not checked, as a file that is
    /// no YAML is not.
    func testATierFileThatIsNoMappingFailsClosed() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier1-edge.yaml", "# edge\n- global: {tier: edge}\n"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier3-connected.yaml", "connected\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.map(\.description), [
            path + "!airgap-bundle-20250104/values/values-tier1-edge.yaml:2:1: values must be a mapping at the top",
            path + "!airgap-bundle-20250104/values/values-tier3-connected.yaml:1:1: values must be a mapping at the top",
        ])
        XCTAssertEqual(facts.tierValues.map(\.file), ["charts/ai-platform-1.2.0.tgz!ai-platform/values-tier1-edge.yaml"], "the chart's own tier file alone")
    }

    /// A tier file that sets nothing (empty, `~` or only comments) is installed all the same:
    /// `helm install -f values-tier1-edge.yaml` then installs the chart's defaults, which the
    /// values rules must judge as that tier (it was left out, and a chart default with a cloud
    /// model passed). Findings about keys no file sets point at its first line, as for `--values`.
    func testATierFileThatSetsNothingIsStillCheckedOverTheChartDefaults() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier1-edge.yaml", ""))
        entries.append(.file("airgap-bundle-20250104/values/values-tier2-datacenter.yaml", "~\n"))
        entries.append(.file("airgap-bundle-20250104/values/values-tier3-connected.yaml", "# the chart's defaults\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.map(\.description), [])
        let chartDefaults = "charts/ai-platform-1.2.0.tgz!ai-platform/values.yaml"
        for name in ["values-tier1-edge.yaml", "values-tier2-datacenter.yaml", "values-tier3-connected.yaml"] {
            let tierFile = try XCTUnwrap(facts.tierValues.first { $0.file == "values/" + name }, name)
            XCTAssertEqual(tierFile.mergedFiles, [chartDefaults, "values/" + name])
            let top = tierFile.values.root.position
            XCTAssertEqual("\(top.file):\(top.line):\(top.column)", path + "!airgap-bundle-20250104/values/" + name + ":1:1")
            guard case .string("registry.local:5000")? = tierFile.values.celValue.child("global")?.child("registry") else {
                return XCTFail("the chart's defaults are not in the values of \(name)")
            }
        }
    }

    /// A tier file's name is read in any case, its extension too: `VALUES-TIER1-EDGE.YAML` is the
    /// file a file system that ignores case opens for `helm install -f values-tier1-edge.yaml`
    /// (it was not read at all, so its cloud model passed). Other files keep the extensions
    /// kubectl reads, which it compares exactly.
    func testATierFileNamedInUpperCaseWithItsExtensionIsChecked() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries.append(.file("airgap-bundle-20250104/values/VALUES-TIER1-EDGE.YAML", "models: {primary: {provider: anthropic}}\n"))
        entries.append(.file("airgap-bundle-20250104/manifests/POD.YAML", "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.map(\.description), [])
        let tierFile = try XCTUnwrap(facts.tierValues.first { $0.file == "values/VALUES-TIER1-EDGE.YAML" })
        guard case .string("anthropic")? = tierFile.values.celValue.child("models")?.child("primary")?.child("provider") else {
            return XCTFail("the tier file's models.primary.provider is not in its values")
        }
        XCTAssertEqual(tierFile.tier(bundleTier: nil), "edge")
        XCTAssertEqual(facts.objects.filter { $0.kind == "Pod" }.map(\.name), [], "kubectl apply -f manifests/ skips POD.YAML")
    }

    /// A tier file is values whatever keys it holds: an `apiVersion` and a `kind` made it a
    /// Kubernetes object alone, so an edge file with a cloud model, open egress and a cloud
    /// registry passed `bundle verify`, while `helm install -f` installs those values. It is still
    /// an object for the resource rules; a `values-pod.yaml` the tier merge never reads is one alone.
    func testATierFileWithAKindAndAnAPIVersionIsStillValues() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        let object = "apiVersion: ai-platform/v1\nkind: TierValues\nmetadata: {name: edge}\nmodels: {primary: {provider: anthropic}}\n"
        entries.append(.file("airgap-bundle-20250104/values/values-tier1-edge.yaml", object))
        entries.append(.file("airgap-bundle-20250104/values/values-pod.yaml", object.replacingOccurrences(of: "name: edge", with: "name: pod")))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        let facts = BundleFacts.read(path)
        XCTAssertEqual(facts.diagnostics.map(\.description), [])
        let tierFile = try XCTUnwrap(facts.tierValues.first { $0.file == "values/values-tier1-edge.yaml" })
        guard case .string("anthropic")? = tierFile.values.celValue.child("models")?.child("primary")?.child("provider") else {
            return XCTFail("the tier file's models.primary.provider is not in its values")
        }
        XCTAssertEqual(facts.valuesFiles.map(\.file).filter { $0.hasPrefix("values/") }, ["values/values-tier1-edge.yaml"])
        XCTAssertEqual(facts.objects.filter { $0.kind == "TierValues" }.map(\.name).sorted(), ["edge", "pod"])
    }

    /// A tier file whose tier is none airlock knows (and which its name and the manifest do not
    /// give) is an error of the bundle, once however many charts it is merged over.
    func testATierFileWithAnUnknownTierIsAnErrorOfTheBundle() throws {
        let folder = try TemporaryFolder()
        var entries = try TestArchiveWriter.entries(ofFolder: TestData.bundles.appendingPathComponent("airgap-refs-good"))
        entries = entries.map { entry in
            guard entry.path.hasSuffix("/manifest.yaml"), case .file(let bytes) = entry.kind else { return entry }
            return .file(entry.path, String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "tier: edge\n", with: ""))
        }
        entries.append(.file("airgap-bundle-20250104/values/values-tier-custom.yaml", "global:\n  tier: Edge\n"))
        let path = try folder.write(TestArchiveWriter.tar(entries), to: "b.tar")
        XCTAssertEqual(BundleFacts.read(path).diagnostics.map(\.description), [
            path + "!airgap-bundle-20250104/values/values-tier-custom.yaml:2:9: global.tier \"Edge\" is not a deployment tier (edge, datacenter or connected): the rules that depend on the tier could not run",
        ])
    }
}
