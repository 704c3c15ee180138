// pino-roll ships no types: the part Gnomon uses (it resolves to a SonicBoom stream).
declare module "pino-roll" {
  import type SonicBoom from "sonic-boom";
  interface PinoRollOptions {
    file: string;
    size?: string | number;
    frequency?: string | number;
    extension?: string;
    mkdir?: boolean;
    limit?: {count?: number; removeOtherLogFiles?: boolean};
  }
  export default function build(opts: PinoRollOptions): Promise<SonicBoom>;
}
