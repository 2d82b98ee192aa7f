// A scripted EventSource: records every instance, lets a test push named server-sent events, and tracks close().
export class FakeEventSource {
  static instances = [];
  constructor(url, init) {
    this.url = url;
    this.init = init;
    this.closed = false;
    this.listeners = {};
    FakeEventSource.instances.push(this);
  }
  addEventListener(type, fn) { (this.listeners[type] ||= new Set()).add(fn); }
  removeEventListener(type, fn) { this.listeners[type]?.delete(fn); }
  close() { this.closed = true; }
  /** Delivers `event: type` with `data` (an object is sent as JSON, a string as is). */
  emit(type, data) {
    if (this.closed) return;
    const msg = { type, data: typeof data === 'string' ? data : JSON.stringify(data) };
    this.listeners[type]?.forEach((fn) => fn(msg));
  }
  static reset() { FakeEventSource.instances = []; }
  static open() { return FakeEventSource.instances.filter((e) => !e.closed); }
}
