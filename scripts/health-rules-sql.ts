// Writes the migration that loads shared/health-check/rules.json into Postgres.
// Usage: npx tsx scripts/health-rules-sql.ts [supabase/migrations/<timestamp>_health_rules.sql]
import { writeFileSync } from 'node:fs'
import { healthRulesMigration, healthRulesSql } from '../shared/health-check/sql.ts'

const target = process.argv[2] ?? healthRulesMigration
writeFileSync(target, healthRulesSql())
console.log(`Wrote ${target}`)
