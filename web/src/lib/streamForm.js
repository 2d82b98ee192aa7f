// Stream form model: every writable stream field (lightnvr-api §2.1/§2.3), grouped; defaults for a new stream;
// the request body; and mapping an API 400 message onto the field it names.
export const GROUPS = [
  { id: 'basic', label: 'Basic', fields: [
    { key: 'name', label: 'Name', type: 'text', required: true, createOnly: true, hint: 'Letters, digits, . - _' },
    { key: 'url', label: 'Stream URL', type: 'text', required: true, hint: 'rtsp://user:pass@host:554/path; also rtsps://, http://host/video.mjpg, ffmpeg:http://host/snap.jpg#input=snapshot#rate=2' },
    { key: 'enabled', label: 'Enabled', type: 'bool' },
    { key: 'streaming_enabled', label: 'Live view enabled', type: 'bool' },
    { key: 'protocol', label: 'Transport', type: 'select', options: [[0, 'TCP'], [1, 'UDP']], num: true },
    { key: 'codec', label: 'Codec hint', type: 'select', options: [['', 'Auto'], ['h264', 'H.264'], ['h265', 'H.265']] },
    { key: 'sub_stream_url', label: 'Sub-stream URL (grid tiles)', type: 'text' },
    { key: 'tags', label: 'Tags', type: 'text', hint: 'Comma-separated' },
    { key: 'priority', label: 'Priority', type: 'number', min: 1, max: 10 },
    { key: 'admin_url', label: 'Camera admin page URL', type: 'text' },
  ] },
  { id: 'recording', label: 'Recording', fields: [
    { key: 'record', label: 'Continuous recording', type: 'bool' },
    { key: 'segment_duration', label: 'Segment length (s)', type: 'number', min: 5, max: 3600 },
    { key: 'record_audio', label: 'Record audio', type: 'bool' },
    { key: 'audio_voice_enhancement', label: 'Voice enhancement', type: 'bool' },
    { key: 'record_on_schedule', label: 'Only record on schedule', type: 'bool' },
    { key: 'recording_schedule', label: 'Recording schedule', type: 'schedule', showIf: (s) => s.record_on_schedule },
  ] },
  { id: 'retention', label: 'Retention', fields: [
    { key: 'retention_days', label: 'Retention (days)', type: 'number', min: -1, max: 365, hint: '-1 = global default, 0 = unlimited' },
    { key: 'detection_retention_days', label: 'Detection retention (days)', type: 'number', min: -1, max: 365, hint: '-1 = global default, 0 = unlimited' },
    { key: 'max_storage_mb', label: 'Storage quota (MB)', type: 'number', min: 0, hint: '0 = unlimited' },
    { key: 'storage_priority', label: 'Storage priority', type: 'number', min: 1, max: 10 },
    { key: 'tier_critical_multiplier', label: 'Critical tier multiplier', type: 'number', step: 0.05 },
    { key: 'tier_important_multiplier', label: 'Important tier multiplier', type: 'number', step: 0.05 },
    { key: 'tier_ephemeral_multiplier', label: 'Ephemeral tier multiplier', type: 'number', step: 0.05 },
  ] },
  { id: 'detection', label: 'Detection', fields: [
    { key: 'detection_based_recording', label: 'Record on detection', type: 'bool' },
    { key: 'detection_model', label: 'Detection model', type: 'text', hint: 'motion, api-detection, onvif or a model path' },
    { key: 'detection_threshold', label: 'Threshold (%)', type: 'number', min: 0, max: 100 },
    { key: 'detection_interval', label: 'Interval (frames)', type: 'number', min: 1 },
    { key: 'pre_detection_buffer', label: 'Pre-event buffer (s)', type: 'number', min: 0, max: 60 },
    { key: 'post_detection_buffer', label: 'Post-event buffer (s)', type: 'number', min: 0, max: 300 },
    { key: 'detection_object_filter', label: 'Object filter', type: 'select', options: [['', 'None'], ['include', 'Include only'], ['exclude', 'Exclude']] },
    { key: 'detection_object_filter_list', label: 'Object classes', type: 'text', hint: 'e.g. person,car' },
    { key: 'detection_url', label: 'Detection stream URL', type: 'text', hint: 'http, https, rtsp or rtsps' },
    { key: 'motion_trigger_source', label: 'Motion trigger source stream', type: 'text' },
    { key: 'detection_record_on_schedule', label: 'Detection only on schedule', type: 'bool' },
    { key: 'detection_recording_schedule', label: 'Detection schedule', type: 'schedule', showIf: (s) => s.detection_record_on_schedule },
  ] },
  { id: 'onvif', label: 'ONVIF / PTZ', fields: [
    { key: 'isOnvif', label: 'ONVIF camera', type: 'bool' },
    { key: 'onvif_username', label: 'ONVIF username', type: 'text', showIf: (s) => s.isOnvif },
    { key: 'onvif_password', label: 'ONVIF password', type: 'password', showIf: (s) => s.isOnvif },
    { key: 'onvif_profile', label: 'ONVIF profile', type: 'text', showIf: (s) => s.isOnvif },
    { key: 'onvif_port', label: 'ONVIF port', type: 'number', min: 0, max: 65535, showIf: (s) => s.isOnvif },
    { key: 'ptz_enabled', label: 'PTZ', type: 'bool' },
    { key: 'ptz_max_x', label: 'PTZ max X', type: 'number', showIf: (s) => s.ptz_enabled },
    { key: 'ptz_max_y', label: 'PTZ max Y', type: 'number', showIf: (s) => s.ptz_enabled },
    { key: 'ptz_max_z', label: 'PTZ max Z', type: 'number', showIf: (s) => s.ptz_enabled },
    { key: 'ptz_has_home', label: 'PTZ has home position', type: 'bool', showIf: (s) => s.ptz_enabled },
    { key: 'backchannel_enabled', label: 'Two-way audio', type: 'bool' },
  ] },
  { id: 'advanced', label: 'Advanced', fields: [
    { key: 'go2rtc_source_override', label: 'go2rtc source override', type: 'textarea', hint: 'Raw go2rtc source; several lines must be valid YAML' },
    { key: 'publish_url', label: 'Publish (restream) URL', type: 'text', hint: 'rtmp or rtmps' },
  ] },
];

export const ALL_FIELDS = GROUPS.flatMap((g) => g.fields);
const fullDay = () => Array(168).fill(true);

export function newStreamDefaults() {
  return {
    name: '', url: '', enabled: true, streaming_enabled: true, protocol: 0, codec: '', sub_stream_url: '', tags: '', priority: 5, admin_url: '',
    record: true, segment_duration: 30, record_audio: true, audio_voice_enhancement: false, record_on_schedule: false, recording_schedule: fullDay(),
    retention_days: -1, detection_retention_days: -1, max_storage_mb: 0, storage_priority: 5,
    tier_critical_multiplier: 3, tier_important_multiplier: 2, tier_ephemeral_multiplier: 0.25,
    detection_based_recording: false, detection_model: '', detection_threshold: 50, detection_interval: 10, pre_detection_buffer: 5, post_detection_buffer: 10,
    detection_object_filter: '', detection_object_filter_list: '', detection_url: '', motion_trigger_source: '', detection_record_on_schedule: false, detection_recording_schedule: fullDay(),
    isOnvif: false, onvif_username: '', onvif_password: '', onvif_profile: '', onvif_port: 0,
    ptz_enabled: false, ptz_max_x: 0, ptz_max_y: 0, ptz_max_z: 0, ptz_has_home: false, backchannel_enabled: false,
    go2rtc_source_override: '', publish_url: '',
  };
}

/** The server's stream object merged over the defaults (missing fields keep defaults; bad schedules replaced). */
export function fromServer(s) {
  const d = newStreamDefaults();
  const out = { ...d };
  for (const k of Object.keys(d)) if (s[k] !== undefined && s[k] !== null) out[k] = s[k];
  for (const k of ['recording_schedule', 'detection_recording_schedule']) if (!Array.isArray(out[k]) || out[k].length !== 168) out[k] = fullDay();
  return out;
}

/** Client-side checks mirroring the API's 400s, so most mistakes show before a round trip. */
export function validateStream(s, creating) {
  const e = {};
  if (creating) {
    if (!s.name.trim()) e.name = 'Stream name cannot be empty';
    else if (!/^[A-Za-z0-9._-]+$/.test(s.name.trim()) || s.name.trim().startsWith('.')) e.name = "Stream name can only contain letters, digits, '.', '-', and '_'";
  }
  if (!s.url.trim()) e.url = 'Stream URL is required';
  for (const k of ['retention_days', 'detection_retention_days']) if (!(s[k] >= -1 && s[k] <= 365)) e[k] = `${k} must be between -1 and 365`;
  if (s.detection_url && !/^(https?|rtsps?):\/\//i.test(s.detection_url)) e.detection_url = 'detection_url must use http, https, rtsp, or rtsps';
  if (s.publish_url && !/^rtmps?:\/\//i.test(s.publish_url)) e.publish_url = 'publish_url must use rtmp or rtmps';
  if (!(s.detection_threshold >= 0 && s.detection_threshold <= 100)) e.detection_threshold = 'Threshold must be 0–100';
  return e;
}

/** Request body: trimmed strings; name only on create; ONVIF credentials only when isOnvif. */
export function toRequestBody(s, creating) {
  const body = {};
  for (const f of ALL_FIELDS) {
    if (f.createOnly && !creating) continue;
    let v = s[f.key];
    if (typeof v === 'string' && f.type !== 'textarea' && f.type !== 'password') v = v.trim();
    body[f.key] = v;
  }
  if (!s.isOnvif) { delete body.onvif_username; delete body.onvif_password; delete body.onvif_profile; }
  return body;
}

/** Which field an API error message is about ("retention_days must be ..." → retention_days; "Stream name ..." → name). */
export function fieldForError(msg) {
  if (!msg) return null;
  if (/^stream name|already exists/i.test(msg)) return 'name';
  if (/missing required fields \(name, url\)/i.test(msg)) return 'url';
  const hit = ALL_FIELDS.find((f) => msg.startsWith(f.key + ' ') || msg.startsWith(f.key + ':'));
  return hit ? hit.key : null;
}

/** Shows a URL with its password masked. */
export function maskUrl(u) {
  return (u || '').replace(/(\/\/[^:/@]+:)[^@/]*@/, '$1••••@');
}
