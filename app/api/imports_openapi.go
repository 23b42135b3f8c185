package api

import "github.com/lobby/lobby/app/org"

// csvUpload describes the body of POST /imports: the raw file, or a form with it in "file".
func csvUpload() map[string]any {
	return map[string]any{
		"text/csv": map[string]any{"schema": str()},
		"multipart/form-data": map[string]any{"schema": obj(map[string]any{
			"file": map[string]any{"type": "string", "format": "binary"}})},
	}
}

func importProps() map[string]any {
	return map[string]any{"id": str(), "filename": str(),
		"status": enum(org.ImportStatusReading, org.ImportStatusPreview, org.ImportStatusCommitting, org.ImportStatusCommitted,
			org.ImportStatusCancelled),
		"notify": boolean(), "created_by": nullable(map[string]any{"type": "object", "properties": map[string]any{"name": str(), "email": str()}}),
		"created_at": timeT(), "committed_at": nullable(timeT()), "rows": integer(),
		"counts":    map[string]any{"type": "object", "description": "Rows per outcome", "additionalProperties": integer()},
		"to_invite": integer(), "progress": obj(map[string]any{"done": integer(), "total": integer()}), "sent": integer(),
		"resend_existing": boolean(), "create_teams": boolean(), "teams_to_create": strs(), "teams_created": strs(),
		"ignored_columns": strs(), "encoding": str(), "separator": str()}
}

func importSchema() any { return obj(importProps()) }

func importPreviewSchema() any {
	p := importProps()
	p["first_rows"] = map[string]any{"type": "array", "items": ref("ImportRow")}
	return obj(p)
}

func importRowSchema() any {
	return obj(map[string]any{"line": integer(), "email": str(), "name": str(), "role": str(), "teams": strs(),
		"outcome": enum(org.ImportOutcomes...), "result": str(), "message": str(), "invitation_id": str()})
}
