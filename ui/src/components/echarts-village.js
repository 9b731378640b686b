// The parts of ECharts the village page uses (bars, lines, a pie), in a chunk of its own.
import { use } from 'echarts/core'
import { init } from './echarts-motion.js'
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components'
import { CanvasRenderer } from 'echarts/renderers'

use([BarChart, LineChart, PieChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer])
export { init }
