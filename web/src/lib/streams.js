// GET /api/streams returns a bare array upstream (docs show {"streams":[...]}); accept both.
import { api } from './api.js';

export const asStreamList = (d) => (Array.isArray(d) ? d : Array.isArray(d?.streams) ? d.streams : []);
export const fetchStreams = () => api.get('/api/streams').then(asStreamList);
export const streamTags = (s) => (s.tags || '').split(',').map((t) => t.trim()).filter(Boolean);
