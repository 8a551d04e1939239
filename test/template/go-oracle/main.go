// Renders template cases with Go's text/template and the function set Flux gives commit
// message templates, so that check.ts can compare them with the outputs the tests expect.
// Input on stdin, output on stdout: JSON arrays. Flux's data is rebuilt here with the same
// struct shapes as Flux's TemplateData (ObjectIdentifier embeds TypeMeta and NameMeta).
package main

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
)

type TypeMeta struct{ APIVersion, Kind string }
type NameMeta struct{ Name, Namespace string }
type ResourceIdentifier struct {
	TypeMeta
	NameMeta
}
type ObjectIdentifier struct{ ResourceIdentifier }
type Change struct{ OldValue, NewValue, Setter string }
type ObjectChanges map[ObjectIdentifier][]Change
type Result struct{ FileChanges map[string]ObjectChanges }

type NamespacedName struct{ Namespace, Name string }

func (n NamespacedName) String() string { return n.Namespace + "/" + n.Name }

type TemplateData struct {
	AutomationObject NamespacedName
	Changed          Result
	Values           map[string]string
}

func sortedFiles(r Result) []string {
	var files []string
	for f := range r.FileChanges {
		files = append(files, f)
	}
	sort.Strings(files)
	return files
}

func sortedObjects(oc ObjectChanges) []ObjectIdentifier {
	var ids []ObjectIdentifier
	for id := range oc {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		a, b := ids[i], ids[j]
		ka := []string{a.APIVersion, a.Kind, a.Name, a.Namespace}
		kb := []string{b.APIVersion, b.Kind, b.Name, b.Namespace}
		return strings.Join(ka, "\x00") < strings.Join(kb, "\x00")
	})
	return ids
}

// Changes is Flux's, in a stable order (Flux's follows Go's random map order).
func (r Result) Changes() []Change {
	seen := map[Change]bool{}
	var result []Change
	for _, f := range sortedFiles(r) {
		for _, id := range sortedObjects(r.FileChanges[f]) {
			for _, c := range r.FileChanges[f][id] {
				if !seen[c] {
					seen[c] = true
					result = append(result, c)
				}
			}
		}
	}
	return result
}

func (r Result) Objects() ObjectChanges {
	result := ObjectChanges{}
	for _, f := range sortedFiles(r) {
		for id, c := range r.FileChanges[f] {
			result[id] = c
		}
	}
	return result
}

type fluxSpec struct {
	Automation struct{ Name, Namespace string }
	Files      map[string][]struct {
		APIVersion, Kind, Name, Namespace string
		Changes                           []struct{ OldValue, NewValue, Setter string }
	}
	Values map[string]string
}

func fluxData(spec fluxSpec) TemplateData {
	files := map[string]ObjectChanges{}
	for path, objects := range spec.Files {
		oc := ObjectChanges{}
		for _, o := range objects {
			id := ObjectIdentifier{ResourceIdentifier{TypeMeta{o.APIVersion, o.Kind}, NameMeta{o.Name, o.Namespace}}}
			for _, c := range o.Changes {
				oc[id] = append(oc[id], Change{c.OldValue, c.NewValue, c.Setter})
			}
		}
		files[path] = oc
	}
	if spec.Values == nil {
		spec.Values = map[string]string{}
	}
	return TemplateData{NamespacedName{spec.Automation.Namespace, spec.Automation.Name}, Result{files}, spec.Values}
}

// ints turns JSON numbers that are whole into Go ints, as the cases mean them.
func ints(v any) any {
	switch x := v.(type) {
	case float64:
		if x == float64(int64(x)) && x < 1e15 && x > -1e15 {
			return int(x)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = ints(e)
		}
	case []any:
		for i, e := range x {
			x[i] = ints(e)
		}
	}
	return v
}

type input struct {
	Label    string
	Template string
	Data     any
	Flux     *fluxSpec
}

type output struct {
	Label  string `json:"label"`
	Output string `json:"output"`
	Phase  string `json:"phase,omitempty"`
	Error  string `json:"error,omitempty"`
}

func main() {
	var cases []input
	decoder := json.NewDecoder(os.Stdin)
	if err := decoder.Decode(&cases); err != nil {
		panic(err)
	}
	var results []output
	for _, c := range cases {
		var data any = ints(c.Data)
		if c.Flux != nil {
			data = fluxData(*c.Flux)
		}
		result := output{Label: c.Label}
		t, err := template.New("t").Funcs(sprig.HermeticTxtFuncMap()).Parse(c.Template)
		if err != nil {
			result.Phase, result.Error = "parse", err.Error()
		} else {
			var b strings.Builder
			if err := t.Execute(&b, data); err != nil {
				result.Phase, result.Error = "render", err.Error()
			}
			result.Output = b.String()
		}
		results = append(results, result)
	}
	encoder := json.NewEncoder(os.Stdout)
	encoder.SetIndent("", " ")
	if err := encoder.Encode(results); err != nil {
		panic(err)
	}
}
