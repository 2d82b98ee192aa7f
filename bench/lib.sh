# Shared by the bench scripts (sourced): a free loopback port, and a server config for a bench run.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# write_server_ini RUN_DIR WEB_PORT PASSWORD: RUN_DIR/lightnvr.ini with everything (database, recordings, logs) in
# RUN_DIR, flat recording folders, warnings-only logging, and a free port for the built-in RTSP server.
write_server_ini() {
  cat > "$1/lightnvr.ini" <<INI
[general]
pid_file = $1/lightnvr.pid
log_file = $1/lightnvr.log
log_level = 1
[web]
port = $2
bind_ip = 127.0.0.1
username = admin
password = $3
[database]
path = $1/lightnvr.db
[storage]
path = $1/recordings
mp4_path = $1/mp4
mp4_directory_format = flat
[go2rtc]
rtsp_port = $(free_port)
INI
}
