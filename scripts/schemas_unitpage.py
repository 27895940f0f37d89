import json
S=lambda **k: dict(k)
num={"type":"number"}; numn={"type":"number","nullable":True}
string={"type":"string"}; strn={"type":"string","nullable":True}
integer={"type":"integer"}
dt={"type":"string","format":"date-time"}; dtn={"type":"string","format":"date-time","nullable":True}
def obj(props, req=None):
    return {"type":"object","properties":props,"required":req if req is not None else list(props),"additionalProperties":False}
levels=["province","department","district","commune","other"]
states=["not_started","draft","submitted","returned","in_appraisal","explanation_requested","explained","approved"]
window={"type":"object","nullable":True,"properties":{"phase":{"type":"string","enum":["self_assessment","explanation"]},"label":string,"starts_at":dtn,"ends_at":dtn},"required":["phase","label","starts_at","ends_at"],"additionalProperties":False}
crit_input=obj({"name":string,"label":strn,"type":string,"unit":strn,"min":numn,"max":numn,
  "options":{"type":"array","items":obj({"value":string,"label":string})}})
gain=obj({"task_id":integer,"criterion_key":string,"code":string,"title":string,
  "pillar":obj({"key":string,"code":string,"title":string}),
  "state":{"type":"string","enum":states},"state_label":string,"max_points":num,"self_points":numn,
  "approved_points":numn,"points":numn,"missing_points":num,"not_applicable":{"type":"boolean"},
  "due":strn,"due_at":dtn,"time_state":{"type":"string","enum":["on_time","due_soon","overdue","done"]},
  "window":{"$ref":"#/components/schemas/UnitPageWindow"},"needs":string,"measured":string,
  "criterion_inputs":{"type":"array","items":crit_input},"inputs":{"type":"object"}})
gains=obj({"round_id":integer,"unit_id":integer,"unit_code":string,"unit_name":string,
  "level":{"type":"string","enum":levels},"basis":{"type":"string","enum":["current"]},
  "points":num,"max_points":num,"missing_points":num,
  "windows":{"type":"array","items":{"$ref":"#/components/schemas/UnitPageWindow"}},
  "criteria":{"type":"array","items":{"$ref":"#/components/schemas/UnitGain"}}})
figs={"points":num,"max_points":num,"index":num,"rank":{"type":"integer","minimum":0}}
whatif_req=obj({"changes":{"type":"array","minItems":1,"maxItems":100,"items":obj({"task_id":{"type":"integer","minimum":1},"inputs":{"type":"object"}})}})
whatif=obj(dict(figs, round_id=integer, unit_id=integer, level={"type":"string","enum":levels},
  units_in_level={"type":"integer","minimum":0}, before=obj(dict(figs)), saved={"type":"boolean","enum":[False]},
  tasks={"type":"array","items":obj({"task_id":integer,"code":string,"inputs":{"type":"object"},
    "points_before":numn,"points":numn,"max_points":num,
    "status":{"type":"string","enum":["scored","not_applicable","missing","error"]},"status_label":string,"explanation":string})}))
counts=obj({"done":{"type":"integer","minimum":0},"in_progress":{"type":"integer","minimum":0},"not_started":{"type":"integer","minimum":0},"not_applicable":{"type":"integer","minimum":0},"total":{"type":"integer","minimum":0}})
pcrit=obj({"task_id":integer,"criterion_key":string,"code":string,"title":string,
  "progress":{"type":"string","enum":["done","in_progress","not_started","not_applicable"]},"progress_label":string,
  "state":{"type":"string","enum":states},"state_label":string,"points":numn,"max_points":num,"measured":string,
  "inputs":{"type":"array","items":obj({"name":string,"label":string,"type":string,"value":{}})}})
progress=obj({"round_id":integer,"unit_id":integer,"unit_code":string,"unit_name":string,
  "level":{"type":"string","enum":levels},"period":strn,"as_of":dtn,"basis":{"type":"string","enum":["current","audit_trail"]},
  "counts":{"$ref":"#/components/schemas/ProgressCounts"},"summary":string,
  "pillars":{"type":"array","items":obj({"key":string,"code":string,"title":string,
     "counts":{"$ref":"#/components/schemas/ProgressCounts"},"summary":string,
     "criteria":{"type":"array","items":{"$ref":"#/components/schemas/ProgressCriterion"}}})}})
routes=[
 ("GET","/api/v1/rounds/{id}/units/{unit}/gains",None,{"200":{"$ref":"#/components/schemas/UnitGains"}}),
 ("POST","/api/v1/rounds/{id}/units/{unit}/what-if",whatif_req,{"200":{"$ref":"#/components/schemas/UnitWhatIf"}}),
 ("GET","/api/v1/rounds/{id}/units/{unit}/progress",None,{"200":{"$ref":"#/components/schemas/UnitProgress"}}),
 ("GET","/api/v1/rounds/{id}/units/{unit}/progress.xlsx",None,{"200":{"type":"string","format":"binary","x-content-type":"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}}),
]
comps=[("UnitPageWindow",window),("UnitGain",gain),("UnitGains",gains),("UnitWhatIf",whatif),
 ("ProgressCounts",counts),("ProgressCriterion",pcrit),("UnitProgress",progress)]
def cstr(x):
    s=json.dumps(x,ensure_ascii=False,separators=(",",":"))
    parts=[s[i:i+80] for i in range(0,len(s),80)]
    esc=lambda t: t.replace('\\','\\\\').replace('"','\\"')
    return "\n".join('     "%s"'%esc(p) for p in parts)
out=['/* schemas_unitpage.c — request and success-response schemas of the unit page routes (gains,',
' * what-if, progress report; docs/results-api.md "Unit page and progress report"), in the format',
' * of route_schema.h. Generated from scripts/schemas_unitpage.py; edit that and rerun it. */',
'#include <stddef.h>','','#include "api/route_schema.h"','','const struct route_schema schemas_unitpage[] = {']
for m,p,req,resp in routes:
    out.append('    {"%s", "%s",'%(m,p))
    out.append((cstr(req) if req else '     NULL')+',')
    out.append(cstr(resp)+'},')
out.append('    {NULL, NULL, NULL, NULL}};')
out.append('')
out.append('const struct schema_component components_unitpage[] = {')
for n,sch in comps:
    out.append('    {"%s",'%n)
    out.append(cstr(sch)+'},')
out.append('    {NULL, NULL}};')
open('src/api/schemas_unitpage.c','w').write("\n".join(out)+"\n")
