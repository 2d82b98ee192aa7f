// Settings tabs (upstream SettingsView groups). Keys not listed land in "Other" so nothing the server sends is hidden.
export const TABS = [
  { id: 'general', label: 'General', keys: ['web_port', 'web_bind_ip', 'web_thread_pool_size', 'max_streams', 'log_level', 'log_file', 'syslog_enabled', 'syslog_ident', 'syslog_facility', 'demo_mode'] },
  { id: 'storage', label: 'Storage', keys: ['storage_path', 'storage_path_hls', 'max_storage_size', 'retention_days', 'auto_delete_oldest', 'storage_min_free_pct', 'storage_pressure_warning_pct', 'storage_pressure_critical_pct', 'storage_pressure_emergency_pct', 'generate_thumbnails', 'thumbnails_per_recording', 'mp4_directory_format', 'manual_recording_max_minutes', 'db_path', 'db_backup_interval_minutes', 'db_backup_retention_count', 'db_post_backup_script', 'buffer_size', 'use_swap', 'swap_size'] },
  { id: 'live', label: 'Live view', keys: ['webrtc_disabled', 'hls_disabled', 'mse_disabled', 'go2rtc_enabled', 'go2rtc_api_port', 'go2rtc_rtsp_port', 'go2rtc_webrtc_enabled', 'go2rtc_webrtc_listen_port', 'go2rtc_stun_enabled', 'go2rtc_stun_server', 'go2rtc_external_ip', 'go2rtc_ice_servers', 'webrtc_connection_timeout_ms', 'webrtc_ice_recovery_timeout_ms', 'go2rtc_force_native_hls', 'turn_enabled', 'turn_server_url', 'turn_username', 'turn_password', 'go2rtc_binary_path', 'go2rtc_config_dir', 'go2rtc_config_override'] },
  { id: 'detection', label: 'Detection', keys: ['models_path', 'api_detection_url', 'api_detection_backend', 'default_detection_threshold', 'pre_detection_buffer', 'post_detection_buffer', 'buffer_strategy', 'detection_grace_period', 'detection_engine_enabled', 'detection_engine_threads', 'detection_engine_delegate', 'onvif_discovery_enabled', 'onvif_discovery_interval', 'onvif_discovery_network'] },
  { id: 'mqtt', label: 'MQTT', keys: ['mqtt_enabled', 'mqtt_broker_host', 'mqtt_broker_port', 'mqtt_username', 'mqtt_password', 'mqtt_client_id', 'mqtt_topic_prefix', 'mqtt_tls_enabled', 'mqtt_keepalive', 'mqtt_qos', 'mqtt_retain', 'mqtt_ha_discovery', 'mqtt_ha_discovery_prefix', 'mqtt_ha_snapshot_interval', 'mqtt_protocol_version', 'mqtt_ca_file', 'mqtt_command_user'] },
  { id: 'security', label: 'Security', keys: ['web_auth_enabled', 'auth_timeout_hours', 'auth_absolute_timeout_hours', 'trusted_device_days', 'trusted_proxy_cidrs', 'force_mfa_on_login', 'login_rate_limit_enabled', 'login_rate_limit_max_attempts', 'login_rate_limit_window_seconds'] },
];
export const READ_ONLY = new Set(['max_streams_ceiling', 'go2rtc_config_override_disabled_reason', 'go2rtc_config_override_quarantined', 'pid_file', 'web_root']);
export const SELECTS = {
  log_level: [[0, 'Error'], [1, 'Warning'], [2, 'Info'], [3, 'Debug']],
  mp4_directory_format: [['flat', 'Flat'], ['year_month', 'Year/Month'], ['year_month_day', 'Year/Month/Day']],
  thumbnails_per_recording: [[1, '1'], [3, '3 (hover frames)']],
  mqtt_protocol_version: [['3.1.1', 'MQTT 3.1.1'], ['5', 'MQTT 5']],
};
export const MULTILINE = new Set(['go2rtc_config_override', 'go2rtc_ice_servers', 'trusted_proxy_cidrs']);

export function label(key) {
  return key.replace(/_/g, ' ').replace(/\b(hls|mse|webrtc|mqtt|tls|ha|api|ip|db|go2rtc|stun|turn|mfa|onvif|pct|ms|id|cidrs)\b/gi, (m) => m.toUpperCase()).replace(/^./, (c) => c.toUpperCase());
}

/** Tabs with the keys the server actually returned, plus an "Other" tab for the rest. */
export function tabsFor(settings) {
  const known = new Set(TABS.flatMap((t) => t.keys));
  const tabs = TABS.map((t) => ({ ...t, keys: t.keys.filter((k) => k in settings) })).filter((t) => t.keys.length);
  const other = Object.keys(settings).filter((k) => !known.has(k) && !READ_ONLY.has(k));
  if (other.length) tabs.push({ id: 'other', label: 'Other', keys: other });
  return tabs;
}

/** Only changed, writable keys go back in POST /api/settings (a partial update). */
export function changedSettings(original, edited) {
  const out = {};
  for (const k of Object.keys(edited)) {
    if (READ_ONLY.has(k)) continue;
    if (JSON.stringify(original[k]) !== JSON.stringify(edited[k])) out[k] = edited[k];
  }
  return out;
}

/** Schema rows (GET /api/settings/schema) by their settings-JSON name. */
export function schemaByKey(schema) {
  const out = {};
  for (const row of schema?.keys || []) out[row.setting] = row;
  return out;
}

/**
 * What to say under a field so no setting pretends to work: a key that does nothing yet says so (and why), a key
 * read only at start-up says a change needs a restart. Live keys say nothing. Null when there is nothing to say.
 */
export function fieldNote(row) {
  if (!row) return null;
  if (row.in_effect === false) return { kind: 'inert', text: row.no_effect || 'stored, no effect yet' };
  if (row.applies === 'restart') return { kind: 'restart', text: 'applies after a restart' };
  return null;
}
