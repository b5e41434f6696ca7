import type { SourceLocation } from '../diagnostics.js';
import { FINDING_RULES, type Finding, type FindingCode } from './findings.js';

/** Options of `findingsToSarif`. */
export interface SarifOptions {
  /** The version of the tool that produced the findings (`tool.driver.version`). */
  readonly toolVersion: string;
}

/** The parts of a SARIF 2.1.0 log netdiagram writes; plain data, ready for `JSON.stringify`. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly unknown[];
}

/**
 * Converts audit findings to a SARIF 2.1.0 log, so code scanning (GitHub, GitLab, IDEs) shows each
 * finding on its manifest line. Relative file names become relative URIs (resolved against the
 * repository root by GitHub); absolute ones become `file://` URIs; standard input has no location.
 * https://docs.oasis-open.org/sarif/sarif/v2.1.0/sarif-v2.1.0.html
 */
export function findingsToSarif(findings: readonly Finding[], options: SarifOptions): SarifLog {
  const codes = Object.keys(FINDING_RULES) as FindingCode[];
  const rules = codes.map((code) => {
    const rule = FINDING_RULES[code];
    return {
      id: code,
      name: ruleName(code),
      shortDescription: { text: rule.title },
      fullDescription: { text: `${rule.title} (PCI DSS v4.0 requirement ${rule.requirements.join(', ')}).` },
      help: { text: rule.help },
      defaultConfiguration: { level: rule.defaultSeverity },
      properties: {
        tags: ['security', 'pci-dss', ...rule.requirements.map((r) => `pci-dss-${r}`)],
        'security-severity': rule.defaultSeverity === 'error' ? '7.0' : '4.0',
      },
    };
  });
  const results = findings.map((f) => {
    const physical = physicalLocation(f.location);
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: f.severity,
      message: { text: `${f.message} [PCI DSS ${f.requirements.join(', ')}]` },
      locations: [{
        ...(physical ? { physicalLocation: physical } : {}),
        logicalLocations: [{ fullyQualifiedName: f.object, kind: 'resource' }],
      }],
      properties: { object: f.object, pciDssRequirements: f.requirements },
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'netdiagram', version: options.toolVersion, semanticVersion: options.toolVersion, rules } },
      columnKind: 'unicodeCodePoints',
      results,
    }],
  };
}

function physicalLocation(location: SourceLocation | undefined) {
  if (!location || location.file === '<stdin>') return undefined;
  return {
    artifactLocation: { uri: fileUri(location.file) },
    region: { startLine: location.line, startColumn: location.column },
  };
}

/** A file name as a URI reference: `/`-separated, percent-encoded; absolute paths as `file://` URIs. */
export function fileUri(file: string): string {
  const slashed = file.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  const encoded = (drive ? slashed.slice(2) : slashed).split('/').map(encodeURIComponent).join('/');
  if (drive) return `file:///${drive[1]}:${encoded}`;
  if (slashed.startsWith('/')) return `file://${encoded}`;
  return encoded.replace(/^(\.\/)+/, '');
}

function ruleName(code: FindingCode): string {
  // SARIF rule names are identifiers: `cde/egress-to-internet` → `CdeEgressToInternet`
  return code.split(/[/-]/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}
