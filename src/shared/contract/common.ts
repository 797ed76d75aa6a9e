import { z } from 'zod'
import { errorCodes } from '../errors'

export const errorInfoSchema = z.object({ code: z.enum(errorCodes), message: z.string() })
export const idSchema = z.string().min(1).max(64)
