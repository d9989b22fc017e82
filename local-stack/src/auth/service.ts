import type { StackContext } from '../context.ts'
import { log } from '../log.ts'
import type { Service } from '../server.ts'
import type { AuthContext } from './context.ts'
import { AuthError, sendAuthError } from './errors.ts'
import { reply, type AuthRequest, type Handler } from './route.ts'
import { generateLink, invite } from './routes/admin-links.ts'
import { createUser, deleteUser, getUserById, listUsers, updateUserById } from './routes/admin-users.ts'
import { otp, recover, resend } from './routes/otp.ts'
import { signup } from './routes/signup.ts'
import { token } from './routes/token.ts'
import { getUser, logout, reauthenticate, updateUser } from './routes/user.ts'
import { verifyGet, verifyPost } from './routes/verify.ts'
import { loadAuthSettings, type AuthSettings } from './settings.ts'

function settingsBody(settings: AuthSettings) {
  const off = ['anonymous_users', 'apple', 'azure', 'bitbucket', 'discord', 'facebook', 'figma', 'github',
    'gitlab', 'google', 'keycloak', 'kakao', 'linkedin_oidc', 'notion', 'slack_oidc', 'spotify', 'twitch',
    'twitter', 'workos', 'zoom']
  const external = Object.fromEntries(off.map(name => [name, false]))
  return {
    external: { ...external, email: true, phone: true },
    disable_signup: false,
    mailer_autoconfirm: settings.autoconfirm,
    phone_autoconfirm: settings.autoconfirm,
    sms_provider: 'local',
    saml_enabled: false,
  }
}

const routes: Partial<Record<string, Handler>> = {
  'POST /token': token,
  'POST /signup': signup,
  'GET /user': getUser,
  'PUT /user': updateUser,
  'POST /logout': logout,
  'GET /reauthenticate': reauthenticate,
  'POST /otp': otp,
  'POST /recover': recover,
  'POST /resend': resend,
  'POST /verify': verifyPost,
  'GET /verify': verifyGet,
  'POST /invite': invite,
  'POST /admin/generate_link': generateLink,
  'GET /admin/users': listUsers,
  'POST /admin/users': createUser,
  'GET /admin/users/:id': getUserById,
  'PUT /admin/users/:id': updateUserById,
  'DELETE /admin/users/:id': deleteUser,
}

function safeDecode(segment: string) {
  try {
    return decodeURIComponent(segment)
  }
  catch {
    return segment
  }
}

function findRoute(method: string, path: string) {
  const exact = routes[`${method} ${path}`]
  if (exact) return { handler: exact }
  const match = path.match(/^\/admin\/users\/([^/]+)$/)
  if (match) {
    const handler = routes[`${method} /admin/users/:id`]
    if (handler) return { handler, id: safeDecode(match[1]) }
  }
  return undefined
}

/** GoTrue stand-in under /auth/v1; settings come from the environment unless given. */
export function createAuthService(ctx: StackContext, settings: AuthSettings = loadAuthSettings()): Service {
  const auth: AuthContext = { stack: ctx, settings, db: ctx.db.admin, issuer: `${ctx.apiUrl}/auth/v1` }

  return {
    prefix: '/auth/v1',
    async handle(req, res, rawPath, url) {
      const path = rawPath.length > 1 ? rawPath.replace(/\/+$/, '') : rawPath
      const request: AuthRequest = { auth, req, res, url }
      try {
        if (req.method === 'GET' && path === '/health') {
          return reply(request, 200, { version: 'local', name: 'GoTrue', description: 'the local stack' })
        }
        if (req.method === 'GET' && path === '/settings') return reply(request, 200, settingsBody(settings))
        // HS256 keys are secret, so there is nothing to publish; auth-js then asks /user.
        if (req.method === 'GET' && path === '/.well-known/jwks.json') {
          return reply(request, 200, { keys: [] })
        }
        const route = findRoute(req.method ?? 'GET', path)
        if (!route) {
          throw new AuthError(404, 'not_found', `There is no ${req.method} ${path} in the auth API.`)
        }
        await route.handler({ ...request, id: route.id })
      }
      catch (error) {
        if (res.headersSent) return void res.end()
        if (error instanceof AuthError) return sendAuthError(req, res, error)
        log('auth', `${req.method} ${path} failed: ${(error as Error).message}`)
        sendAuthError(req, res, new AuthError(500, 'unexpected_failure',
          'Unexpected failure, please check the local stack log.'))
      }
    },
  }
}
