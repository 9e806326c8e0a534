import { mqCliSuite, targets } from './mq-cli-suite.js';

mqCliSuite(targets.postgres);
