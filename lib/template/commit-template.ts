/**
 * What Flux's image automation renders into a commit message, so the update job can do the same.
 *
 * When `spec.git.commit.messageTemplate` is empty, Flux commits with DEFAULT_COMMIT_TEMPLATE; it
 * parses every template under the name "commit message", which is what its errors quote.
 *
 * The data (built by the update module; this is the contract) has Flux's TemplateData shape. To
 * render byte for byte as Flux does, model Go's structs as classes and Go's maps as Map or plain
 * objects (see go-values.ts for how JavaScript values look to a template):
 *
 *   class NamespacedName { Name; Namespace; String() { return `${this.Namespace}/${this.Name}`; } }
 *   class ObjectIdentifier { APIVersion; Kind; Name; Namespace }   // declared in this order
 *   class Change { OldValue; NewValue; Setter }
 *   class Result {
 *     FileChanges: Record<path, Map<ObjectIdentifier, Change[]>>
 *     Changes(): Change[]                          // distinct changes over every file and object
 *     Objects(): Map<ObjectIdentifier, Change[]>   // objects over every file
 *   }
 *   class TemplateData { AutomationObject: NamespacedName; Changed: Result; Values: Record<string, string> }
 *
 * - `{{ .AutomationObject }}` prints `namespace/name` through String(), as Go's NamespacedName.
 * - Ranging over `.Changed.FileChanges` and `.Changed.Objects` visits keys in Go's sorted order:
 *   paths by bytes, ObjectIdentifiers field by field in declaration order (Go compares the
 *   embedded ResourceIdentifier as APIVersion, Kind, Name, Namespace).
 * - Flux's Changes() follows Go's random map order over files; ferry's should be sorted by file
 *   path, then object, so that the same change always yields the same message.
 * - Class instances make a misspelt or removed field an error, as in Flux:
 *   `can't evaluate field Updated in type TemplateData` (Flux turns exactly that into its
 *   "template uses removed '.Updated' field" message); plain objects would print `<no value>`.
 * - `.Values` is `map[string]string` in Go, so `index .Values "missing"` is "": give the object a
 *   `[ZERO_VALUE]: ''` entry for that; `.Values.missing` prints `<no value>` either way.
 * - Printing a whole ObjectIdentifier (`toString`, `%v`) gives `{apps/v1 Deployment app ns}`; Go
 *   nests the embedded structs (`{{{apps/v1 Deployment} {app ns}}}`), so a template hashing
 *   such text gets a different, but equally stable, result.
 */
export const DEFAULT_COMMIT_TEMPLATE = 'Update from image update automation';

/** The name Flux parses commit templates under; error messages start `template: commit message:`. */
export const COMMIT_TEMPLATE_NAME = 'commit message';
