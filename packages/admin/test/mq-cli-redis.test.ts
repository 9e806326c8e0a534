import { mqCliNoBackend, mqCliSuite, targets } from './mq-cli-suite.js';

mqCliSuite(targets.redis);
mqCliNoBackend();
