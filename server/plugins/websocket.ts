// supabase-js builds a realtime client with every Supabase client, and on Node 20 (which
// package.json supports) there is no global WebSocket, so creating any client throws.
// Its documented remedy is the `ws` package; the server never opens a realtime socket.
import WebSocket from 'ws'

export default defineNitroPlugin(() => {
  if (!('WebSocket' in globalThis)) Object.assign(globalThis, { WebSocket })
})
